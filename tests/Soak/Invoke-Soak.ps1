<#
.SYNOPSIS
    The soak: rounds of -Pods pods at once through Invoke-KPod -ShowLogs, each printing -Lines numbered lines, while
    faults chosen at random (seeded; the seed is printed) hit the test cluster, for -Minutes (or -Rounds). Returns one
    object with the figures and Problems, the list of what went wrong: a line lost, duplicated or out of order, a result
    that is not Succeeded with exit code 0, a pod or child process left behind, memory that grew.
.NOTES
    Needs KUBECONFIG on a test cluster (the admin context) and the module at -ModulePath. build.ps1 -Task Soak runs it;
    tests/Pester/Soak.Tests.ps1 runs a short version in the normal suite.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [double] $Minutes = 0,
    [int] $Rounds = 0,
    [int] $Pods = 10,
    [int] $Lines = 200,
    [int] $Seed = (Get-Random -Maximum 1000000)
)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../Pester/PodManager.TestHelpers.psm1') -Force
Import-Module (Join-Path $PSScriptRoot '../Pester/TestCluster.psm1') -Force
Assert-LoopbackKubeConfig
if (-not (Get-Module PodManager)) { Import-Module $ModulePath -Global }
if ($Minutes -le 0 -and $Rounds -le 0) { $Rounds = 1 }
Write-Host "Soak: seed $Seed, $Pods pods a round, $Lines lines each, $(if ($Minutes -gt 0) { "$Minutes min" } else { "$Rounds rounds" })"

$random = [Random]::new($Seed)
$faults = @(
    { param($r) Add-TestClusterFault -CutLogStreams -AfterLines $r.Next(1, 60) -Count $r.Next(1, 20) -Path '/api/v1/namespaces/default/pods/*/log' }
    { param($r) Add-TestClusterFault -CutLogStreams -AfterLines $r.Next(1, 60) -Count $r.Next(1, 5) -Abort -Path '/api/v1/namespaces/default/pods/*/log' }
    { param($r) Add-TestClusterFault -Status 500 -Method GET -Path '/api/v1/namespaces/default/pods/*/log' -Count $r.Next(1, 4) }
    { param($r) Add-TestClusterFault -Status 429 -RetryAfterSeconds 1 -Method GET -Path '/api/v1/namespaces/default/pods/*/log' -Count $r.Next(1, 3) }
    { param($r) Add-TestClusterFault -Status 503 -Method POST -Path '/api/v1/namespaces/default/pods' -Count $r.Next(1, 3) }
    { param($r) Add-TestClusterFault -DropResponse -Method POST -Path '/api/v1/namespaces/default/pods' -Count 1 }
    { param($r) Add-TestClusterFault -DelayMilliseconds $r.Next(100, 1500) -Method GET -Path '/api/v1/namespaces/default/pods/*/log' -Count $r.Next(1, 5) }
    { param($r) Close-TestClusterWatch -ExpireNext:($r.Next(2) -eq 1) }
)

$problems = [Collections.Generic.List[string]]::new()
$children = { @(Get-Process | Where-Object { $_.Parent.Id -eq $PID } | ForEach-Object Id) }
$childrenBefore = & $children
$memory = [Collections.Generic.List[long]]::new()
$clock = [Diagnostics.Stopwatch]::StartNew()
$round = 0
$podsRun = 0
$faultsInjected = 0
while (($Minutes -gt 0 -and $clock.Elapsed.TotalMinutes -lt $Minutes) -or ($Minutes -le 0 -and $round -lt $Rounds)) {
    $round++
    $tag = "soak-$Seed-$round"
    $chosen = for ($i = 0; $i -lt 3; $i++) { $fault = $faults[$random.Next($faults.Count)]; & $fault $random; $faultsInjected++; $fault.ToString().Trim() -replace '^param\(\$r\)\s*', '' }
    Write-Host "Soak round ${round}: $($chosen -join ' | ')"
    $specs = 1..$Pods | ForEach-Object {
        [pscustomobject]@{ Image = 'alpine'; Name = "$tag-$_"; Command = 'sh'; Argument = @('-c', "for i in `$(seq 1 $Lines); do echo `"line `$i`"; done"); Label = @{ soak = "$Seed" } }
    }
    try {
        $out = @($specs | Invoke-KPod -ShowLogs -ThrottleLimit $Pods -ErrorAction SilentlyContinue -ErrorVariable failed 6>&1)
    }
    finally {
        # A round's faults hit the whole namespace: they must not outlive it, even when the round stops at an error.
        Clear-TestClusterFault
    }
    $podsRun += $Pods
    foreach ($failure in $failed) { $problems.Add("round ${round}: error $($failure.FullyQualifiedErrorId): $($failure.Exception.Message)") }
    $results = @($out | Where-Object { $_ -is [PodManager.KPodResult] })
    $logLines = @($out | Where-Object { $_ -is [Management.Automation.InformationRecord] } | ForEach-Object MessageData)
    foreach ($spec in $specs) {
        $result = $results | Where-Object Name -eq $spec.Name
        if (-not $result) { $problems.Add("round ${round}: no result for $($spec.Name)"); continue }
        if ($result.Phase -ne 'Succeeded' -or $result.ExitCode -ne 0) { $problems.Add("round ${round}: $($spec.Name) is $($result.Phase) with exit code $($result.ExitCode)") }
        if (-not $result.Deleted) { $problems.Add("round ${round}: $($spec.Name) was not deleted") }
        $numbers = @($logLines | Where-Object Pod -eq $spec.Name | ForEach-Object { [int] ($_.Message -replace '^line ', '') })
        if (($numbers -join ',') -ne ((1..$Lines) -join ',')) {
            $problems.Add("round ${round}: $($spec.Name) logged $($numbers.Count) lines, not 1..$Lines exactly once in order")
        }
    }
    [GC]::Collect(); [GC]::WaitForPendingFinalizers()
    $memory.Add([GC]::GetTotalMemory($true))
}

$left = @(Get-KPod -Selector "soak=$Seed")
if ($left) { $problems.Add("pods left: $($left.Name -join ', ')"); $left | Remove-KPod -GracePeriod 0 }
$childrenAfter = & $children
if (@($childrenAfter | Where-Object { $_ -notin $childrenBefore })) { $problems.Add("child processes left: $($childrenAfter -join ', ')") }
# Flat: the managed heap after the last round is within 2x (and 32 MB) of the heap after the first, whatever the rounds.
$first = $memory[0]; $last = $memory[$memory.Count - 1]
if ($last -gt 2 * $first + 32MB) { $problems.Add("memory grew from $([math]::Round($first / 1MB, 1)) MB after round 1 to $([math]::Round($last / 1MB, 1)) MB") }

$summary = [pscustomobject]@{
    Seed           = $Seed
    Rounds         = $round
    Pods           = $podsRun
    LinesEach      = $Lines
    FaultsInjected = $faultsInjected
    Minutes        = [math]::Round($clock.Elapsed.TotalMinutes, 1)
    HeapFirstMB    = [math]::Round($first / 1MB, 1)
    HeapLastMB     = [math]::Round($last / 1MB, 1)
    WorkingSetMB   = [math]::Round((Get-Process -Id $PID).WorkingSet64 / 1MB, 1)
    Problems       = $problems.ToArray()
}
foreach ($problem in $problems) { Write-Host "Soak problem: $problem" }
Write-Host "Soak: seed $($summary.Seed), $($summary.Rounds) rounds, $($summary.Pods) pods, $($summary.FaultsInjected) faults in $($summary.Minutes) min; heap $($summary.HeapFirstMB) -> $($summary.HeapLastMB) MB; $($problems.Count) problems"
$summary
