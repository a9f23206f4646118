<#
.SYNOPSIS
    PodManager's benchmark: each scenario of issue 6 beside its baselines, on one test cluster, in one run.
.DESCRIPTION
    Called by `build.ps1 -Task Bench` once the module is staged, the floor tool built and the test cluster
    started. Each scenario warms up, then alternates PodManager and its baselines; PodManager's side runs in a
    fresh pwsh (Ours.ps1) so that its peak memory is its own. Prints one table. A full run of every scenario
    rewrites docs/benchmarks.md; -Quick or a -Scenario subset writes out/bench/benchmarks.md instead, so that
    the committed figures are always those of a full run.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Root,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $PwshDll,
    [Parameter(Mandatory)] [string] $FloorDll,
    [Parameter(Mandatory)] [string] $KubeConfig,
    [Parameter(Mandatory)] [string] $Server,
    [Parameter(Mandatory)] [string] $WorkDirectory,
    [string[]] $Scenario = @(),
    [switch] $Quick,
    # The test cluster's process, whose CPU and memory FanOut1000 reports (0: not reported).
    [int] $ClusterProcessId = 0,
    [string] $Command = 'dotnet pwsh ./build.ps1 -Task Bench'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$AllScenarios = 'CompletionLatency', 'FanOut', 'FanOut1000', 'LogThroughput', 'ImportTime', 'FirstPod'
# Scenarios a quick run leaves out: scaled down they would measure something else.
$FullOnly = 'FanOut1000'
$Selected = @(if (@($Scenario).Count -eq 0) { $AllScenarios } else { $AllScenarios | Where-Object { $_ -in $Scenario } })
if ($Quick) { $Selected = @($Selected | Where-Object { $_ -notin $FullOnly }) }
$OursScript = Join-Path $PSScriptRoot 'Ours.ps1'
$KubectlScript = Join-Path $PSScriptRoot 'fanout-kubectl.sh'
$CacheDir = Join-Path $WorkDirectory 'kubectl-cache'
$AdminToken = ([regex]::Match((Get-Content -Raw $KubeConfig), '(?m)^\s*token:\s*(\S+)')).Groups[1].Value
if ($Server -notmatch '^https://127\.0\.0\.1:\d+$') { throw "The benchmark only talks to 127.0.0.1, not '$Server'." }
$Random = [Random]::new(6)
$Rows = [Collections.Generic.List[object]]::new()
$Goals = [Collections.Generic.List[string]]::new()
$Notes = [ordered]@{}

#region helpers

function Invoke-Process {
    <# Runs a program to its end; returns its wall time (ms), exit code and output. #>
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @(), [hashtable] $Environment = @{}, [int] $TimeoutSeconds = 600)
    $info = [Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($argument in $ArgumentList) { $info.ArgumentList.Add($argument) }
    foreach ($key in $Environment.Keys) { $info.Environment[$key] = $Environment[$key] }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $info.WorkingDirectory = $Root
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $process = [Diagnostics.Process]::Start($info)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
        $process.Kill($true)
        throw "'$FilePath $($ArgumentList -join ' ')' did not finish within $TimeoutSeconds s."
    }
    $process.WaitForExit()
    $clock.Stop()
    [pscustomobject]@{ Ms = $clock.Elapsed.TotalMilliseconds; ExitCode = $process.ExitCode; Stdout = $stdout.Result; Stderr = $stderr.Result }
}

function Assert-Success($Run, [string] $What) {
    if ($Run.ExitCode -ne 0) { throw "$What failed with exit code $($Run.ExitCode): $($Run.Stderr)$($Run.Stdout)" }
    $Run
}

function Invoke-Kubectl {
    # No param block: every argument, -i included, goes to kubectl.
    Invoke-Process kubectl (@('--kubeconfig', $KubeConfig, '--cache-dir', $CacheDir) + [string[]]$args)
}

function Invoke-Ours {
    <# PodManager's side of a scenario in a fresh pwsh; returns its JSON result. #>
    param([Parameter(Mandatory)] [string] $Action, [string[]] $Arguments = @())
    $run = Invoke-Process dotnet (@($PwshDll, '-NoProfile', '-NonInteractive', '-File', $OursScript, '-Action', $Action, '-ModulePath', $ModulePath,
            '-Server', $Server) + $Arguments) -Environment @{ KUBECONFIG = $KubeConfig; PODMANAGER_BENCH_ADMIN_TOKEN = $AdminToken }
    Assert-Success $run "Ours.ps1 -Action $Action" | Out-Null
    ($run.Stdout.Trim() -split "`n")[-1] | ConvertFrom-Json
}

function Invoke-Floor {
    param([Parameter(Mandatory)] [string] $Mode, [string[]] $Arguments = @())
    $run = Assert-Success (Invoke-Process dotnet (@($FloorDll, $Mode, '--kubeconfig', $KubeConfig) + $Arguments)) "Floor $Mode"
    ($run.Stdout.Trim() -split "`n")[-1] | ConvertFrom-Json
}

function Invoke-Admin([string] $Method, [string] $Path) {
    Invoke-RestMethod -Method $Method -Uri "$Server$Path" -Headers @{ Authorization = "Bearer $AdminToken" } -SkipCertificateCheck
}

function Get-Percentile([double[]] $Values, [double] $Percent) {
    # Nearest rank.
    $sorted = @($Values | Sort-Object)
    if ($sorted.Count -eq 0) { return [double]::NaN }
    $rank = [Math]::Max(1, [Math]::Ceiling($Percent / 100 * $sorted.Count))
    $sorted[$rank - 1]
}

function Get-Median([double[]] $Values) { Get-Percentile $Values 50 }

function Format-Ms([double] $Ms) {
    if ([double]::IsNaN($Ms)) { return 'n/a' }
    if ([Math]::Abs($Ms) -ge 10000) { return '{0:0.0} s' -f ($Ms / 1000) }
    if ([Math]::Abs($Ms) -ge 1000) { return '{0:0.00} s' -f ($Ms / 1000) }
    '{0:0} ms' -f $Ms
}

function Format-MB([double] $KB) { '{0:0} MB' -f ($KB / 1024) }

function Add-Row {
    param([string] $Scenario, [string] $Measure, [string] $Ours, [string] $Kubectl = '', [string] $Airflow = '', [string] $Floor = '', [string] $Goal = '', [string] $Met = '')
    $Rows.Add([pscustomobject]@{ Scenario = $Scenario; Measure = $Measure; PodManager = $Ours; Kubectl = $Kubectl; AirflowPoll = $Airflow; Floor = $Floor; Goal = $Goal; Met = $Met; Load = '' })
}

function Add-Goal([string] $Scenario, [bool] $Met, [string] $Text) {
    $Goals.Add("- **$Scenario**: $(if ($Met) { 'met' } else { 'missed' }). $Text")
}

function Yes([bool] $Value) { if ($Value) { 'yes' } else { 'no' } }

function Remove-BenchPods([string] $Selector) {
    Invoke-Kubectl delete pods -l $Selector --wait=false --ignore-not-found | Out-Null
}

function New-PodYaml([string] $Name, [string] $Label, [string] $Script) {
    $escaped = $Script.Replace("'", "''")
    @"
apiVersion: v1
kind: Pod
metadata:
  name: $Name
  labels:
    bench: $Label
spec:
  restartPolicy: Never
  containers:
  - name: base
    image: alpine
    command: ['sh', '-c', '$escaped']
---
"@
}

function Write-Step([string] $Text) { Write-Host "  $([DateTime]::Now.ToString('HH:mm:ss')) $Text" }

#endregion

#region CompletionLatency

function Invoke-CompletionRound {
    <# One round of pods for one way of waiting; returns the latency of each pod in ms. #>
    param([Parameter(Mandatory)] [ValidateSet('Ours', 'Kubectl', 'Poll', 'Floor')] [string] $Way, [int] $Round, [double[]] $Sleep)
    $prefix = "cl-$($Way.ToLowerInvariant())-$Round"
    switch ($Way) {
        'Ours' { $samples = (Invoke-Ours CompletionOurs @('-Prefix', $prefix, '-Sleep', (($Sleep | ForEach-Object { $_.ToString('0.000', [cultureinfo]::InvariantCulture) }) -join ','))).Samples }
        'Poll' { $samples = (Invoke-Ours CompletionPoll @('-Prefix', $prefix, '-Sleep', (($Sleep | ForEach-Object { $_.ToString('0.000', [cultureinfo]::InvariantCulture) }) -join ','))).Samples }
        default {
            $names = for ($i = 0; $i -lt $Sleep.Count; $i++) { "$prefix-$i" }
            $yaml = Join-Path $WorkDirectory "$prefix.yaml"
            $text = for ($i = 0; $i -lt $Sleep.Count; $i++) {
                New-PodYaml $names[$i] $prefix ('sleep {0}; date +%s%N' -f $Sleep[$i].ToString('0.000', [cultureinfo]::InvariantCulture))
            }
            Set-Content -Path $yaml -Value ($text -join "`n")
            Assert-Success (Invoke-Kubectl create -f $yaml) 'kubectl create' | Out-Null
            $returned = @{}
            if ($Way -eq 'Kubectl') {
                # One kubectl wait per pod, started as soon as the pods exist; the shell stamps its return.
                $waits = foreach ($name in $names) {
                    $line = "kubectl --kubeconfig '$KubeConfig' --cache-dir '$CacheDir' wait --for=jsonpath='{.status.phase}'=Succeeded pod/$name --timeout=120s >/dev/null && date +%s%N"
                    $info = [Diagnostics.ProcessStartInfo]::new('sh')
                    $info.ArgumentList.Add('-c'); $info.ArgumentList.Add($line)
                    $info.RedirectStandardOutput = $true; $info.UseShellExecute = $false
                    $process = [Diagnostics.Process]::Start($info)
                    [pscustomobject]@{ Name = $name; Process = $process; Output = $process.StandardOutput.ReadToEndAsync() }
                }
                foreach ($wait in $waits) {
                    $wait.Process.WaitForExit()
                    if ($wait.Process.ExitCode -ne 0) { throw "kubectl wait for $($wait.Name) failed." }
                    $returned[$wait.Name] = [long]$wait.Output.Result.Trim()
                }
            }
            else {
                foreach ($sample in Invoke-Floor completion @('--names', ($names -join ','))) { $returned[$sample.Name] = [long]$sample.Returned }
            }
            $logs = (Assert-Success (Invoke-Kubectl logs -l "bench=$prefix" --prefix --tail=1 --max-log-requests=100) 'kubectl logs').Stdout
            $printed = @{}
            foreach ($line in $logs -split "`n") {
                if ($line -match '^\[pod/([^/]+)/base\] (\d+)$') { $printed[$Matches[1]] = [long]$Matches[2] }
            }
            Remove-BenchPods "bench=$prefix"
            $samples = foreach ($name in $names) { [pscustomobject]@{ Name = $name; Printed = $printed[$name]; Returned = $returned[$name] } }
        }
    }
    foreach ($sample in $samples) {
        if (-not $sample.Printed -or -not $sample.Returned) { throw "CompletionLatency ($Way): no stamp for $($sample.Name)." }
        ([long]$sample.Returned - [long]$sample.Printed) / 1e6
    }
}

function Invoke-CompletionLatency {
    $rounds = if ($Quick) { 1 } else { 5 }
    $perRound = if ($Quick) { 2 } else { 10 }
    $ways = 'Ours', 'Kubectl', 'Poll', 'Floor'
    $latency = @{}
    foreach ($way in $ways) { $latency[$way] = [Collections.Generic.List[double]]::new() }
    # Pod i sleeps base + i*0.4 s + up to 0.4 s more: completions are apart, so one waiter never delays the next,
    # and they fall at every phase of a 2 s poll. The base leaves time for the waiters to start.
    $base = if ($Quick) { 1.5 } else { 3.0 }
    if (-not $Quick) {
        Write-Step 'CompletionLatency: warm-up'
        foreach ($way in $ways) { Invoke-CompletionRound -Way $way -Round 0 -Sleep @($base, ($base + 0.5)) | Out-Null }
    }
    for ($round = 1; $round -le $rounds; $round++) {
        $sleep = for ($i = 0; $i -lt $perRound; $i++) { [Math]::Round($base + 0.4 * $i + 0.4 * $Random.NextDouble(), 3) }
        # Alternate the order of the ways from round to round.
        $order = if ($round % 2) { $ways } else { $ways[($ways.Count - 1)..0] }
        foreach ($way in $order) {
            Write-Step "CompletionLatency: round $round/$rounds, $way"
            foreach ($ms in Invoke-CompletionRound -Way $way -Round $round -Sleep $sleep) { $latency[$way].Add($ms) }
        }
    }
    $p = @{}
    foreach ($way in $ways) { $p[$way] = @{ P50 = Get-Median $latency[$way]; P95 = Get-Percentile $latency[$way] 95; N = $latency[$way].Count } }
    $n = $p.Ours.N
    Add-Row CompletionLatency "p50, $n pods each" (Format-Ms $p.Ours.P50) (Format-Ms $p.Kubectl.P50) (Format-Ms $p.Poll.P50) (Format-Ms $p.Floor.P50) 'under 50 ms and below kubectl' (Yes ($p.Ours.P50 -lt 50 -and $p.Ours.P50 -lt $p.Kubectl.P50))
    Add-Row CompletionLatency 'p95' (Format-Ms $p.Ours.P95) (Format-Ms $p.Kubectl.P95) (Format-Ms $p.Poll.P95) (Format-Ms $p.Floor.P95)
    $met = $p.Ours.P50 -lt 50 -and $p.Ours.P50 -lt $p.Kubectl.P50
    Add-Goal CompletionLatency $met ("p50 {0} (p95 {1}) from the pod's last stamp to Wait-KPodCompletion returning, against kubectl wait's {2} ({3}) and the 2 s poll's {4} ({5}); one bare KubernetesClient watch, the floor, sees the same change after {6} ({7})." -f
        (Format-Ms $p.Ours.P50), (Format-Ms $p.Ours.P95), (Format-Ms $p.Kubectl.P50), (Format-Ms $p.Kubectl.P95), (Format-Ms $p.Poll.P50), (Format-Ms $p.Poll.P95), (Format-Ms $p.Floor.P50), (Format-Ms $p.Floor.P95))
    $Notes.CompletionLatency = $p
}

#endregion

#region FanOut

function Get-RequestsPerPod($Counts, [int] $Pods) {
    $total = 0; $shared = 0; $parts = @()
    foreach ($property in $Counts.PSObject.Properties) {
        $total += $property.Value
        if ($property.Name -in 'watch pods', 'list pods') { $shared += $property.Value }
        $parts += "$($property.Name) $($property.Value)"
    }
    [pscustomobject]@{ PerPod = ($total - $shared) / $Pods; Shared = $shared; Detail = ($parts -join ', ') }
}

function Invoke-FanOut {
    $count = if ($Quick) { 10 } else { 200 }
    $parallel = 50
    $rounds = if ($Quick) { 1 } else { 2 }
    $ours = @(); $kubectl = @(); $floor = @()
    if (-not $Quick) {
        Write-Step 'FanOut: warm-up (10 pods each)'
        Invoke-Ours FanOut @('-Prefix', 'fo-w', '-Count', 10) | Out-Null
        Assert-Success (Invoke-Process sh @($KubectlScript, 10, $parallel, 'fk-w', $KubeConfig, $CacheDir)) 'kubectl fan-out' | Out-Null
        Invoke-Floor fanout @('--count', 10, '--prefix', 'ff-w') | Out-Null
    }
    for ($round = 1; $round -le $rounds; $round++) {
        Write-Step "FanOut: round $round/$rounds, PodManager ($count pods)"
        $result = Invoke-Ours FanOut @('-Prefix', "fo-$round", '-Count', $count)
        if ($result.Succeeded -ne $count -or $result.LogsWithDone -ne $count -or $result.Deleted -ne $count) { throw "FanOut: PodManager ran $($result.Succeeded) of $count pods, $($result.LogsWithDone) logs, $($result.Deleted) deleted." }
        $ours += [pscustomobject]@{ Ms = $result.WallMs; Requests = Get-RequestsPerPod $result.Requests $count; PeakKB = $result.PeakKB; GrowthKB = $result.PeakKB - $result.RssBeforeKB }

        Write-Step "FanOut: round $round/$rounds, kubectl script ($count pods, $parallel at a time)"
        Invoke-Admin DELETE /_testcluster/requests | Out-Null
        $run = Assert-Success (Invoke-Process sh @($KubectlScript, $count, $parallel, "fk-$round", $KubeConfig, $CacheDir)) 'kubectl fan-out'
        $done = @($run.Stdout -split "`n" | Where-Object { $_ -eq 'done' }).Count
        if ($done -ne $count) { throw "FanOut: the kubectl script printed $done of $count logs." }
        $kubectl += [pscustomobject]@{ Ms = $run.Ms; Requests = Get-RequestsPerPod (Invoke-Admin GET /_testcluster/requests) $count }

        Write-Step "FanOut: round $round/$rounds, floor ($count pods through KubernetesClient)"
        Invoke-Admin DELETE /_testcluster/requests | Out-Null
        $result = Invoke-Floor fanout @('--count', $count, '--prefix', "ff-$round")
        if ($result.LogsWithDone -ne $count) { throw "FanOut: the floor read $($result.LogsWithDone) of $count logs." }
        $floor += [pscustomobject]@{ Ms = $result.WallMs; Requests = Get-RequestsPerPod (Invoke-Admin GET /_testcluster/requests) $count }
    }
    $oursMs = Get-Median $ours.Ms; $kubectlMs = Get-Median $kubectl.Ms; $floorMs = Get-Median $floor.Ms
    $oursRequests = ($ours | Sort-Object { $_.Requests.PerPod } | Select-Object -Last 1).Requests
    $floorRequests = $floor[-1].Requests
    $kubectlRequests = $kubectl[-1].Requests
    $limit = 4000 + ($floorMs - 2000)
    $wallMet = $oursMs -lt $limit
    $speedup = $kubectlMs / $oursMs
    $requestsMet = $oursRequests.PerPod -le 4
    $peak = ($ours.PeakKB | Measure-Object -Maximum).Maximum
    $scale = if ($Quick) { ' (quick: not comparable with a full run)' } else { '' }
    Add-Row FanOut "wall time, $count pods (median of $rounds)$scale" (Format-Ms $oursMs) (Format-Ms $kubectlMs) '' (Format-Ms $floorMs) "under 4 s + floor's overhead ($(Format-Ms $limit)); 3x faster than kubectl" (Yes ($wallMet -and $speedup -ge 3))
    Add-Row FanOut 'API requests per pod (+ shared watch/list)' ('{0:0.##} (+{1})' -f $oursRequests.PerPod, $oursRequests.Shared) ('{0:0.##} (+{1})' -f $kubectlRequests.PerPod, $kubectlRequests.Shared) '' ('{0:0.##} (+{1})' -f $floorRequests.PerPod, $floorRequests.Shared) 'at most 4 + shared watches' (Yes $requestsMet)
    Add-Row FanOut "pwsh peak memory (VmHWM)$scale" (Format-MB $peak)
    Add-Goal FanOut ($requestsMet -and $wallMet -and $speedup -ge 3) ("{0} pods in {1}, {2:0.0}x faster than the kubectl script ({3}); the floor (the same pods created at once, one watch, a log read and a delete each, straight through KubernetesClient) takes {4}, so the goal's bound is 4 s + ({4} - 2 s) = {5}: {6}. Requests per pod: {7:0.##} ({8}), {9}." -f
        $count, (Format-Ms $oursMs), $speedup, (Format-Ms $kubectlMs), (Format-Ms $floorMs), (Format-Ms $limit), $(if ($wallMet) { 'within it' } else { 'over it' }),
        $oursRequests.PerPod, $oursRequests.Detail, $(if ($requestsMet) { 'within 4' } else { 'over 4' }))
    $Notes.FanOut = [pscustomobject]@{ Ours = $ours; Kubectl = $kubectl; Floor = $floor; Limit = $limit; Speedup = $speedup; OursRequests = $oursRequests; KubectlRequests = $kubectlRequests; FloorRequests = $floorRequests }
}

#endregion

#region FanOut1000

function Get-ClusterUsage {
    <# The test cluster's CPU seconds so far (its own and its reaped container processes') and its resident memory. #>
    if ($ClusterProcessId -le 0) { return $null }
    $stat = (Get-Content "/proc/$ClusterProcessId/stat" -Raw)
    # Fields after the command's closing parenthesis: utime, stime, cutime, cstime are the 12th to 15th.
    $fields = $stat.Substring($stat.LastIndexOf(')') + 2) -split ' '
    $ticks = 100.0
    $status = Get-Content -Raw "/proc/$ClusterProcessId/status"
    [pscustomobject]@{
        OwnSeconds      = ([double]$fields[11] + [double]$fields[12]) / $ticks
        ChildrenSeconds = ([double]$fields[13] + [double]$fields[14]) / $ticks
        RssKB           = [long]([regex]::Match($status, 'VmRSS:\s+(\d+)').Groups[1].Value)
        HwmKB           = [long]([regex]::Match($status, 'VmHWM:\s+(\d+)').Groups[1].Value)
    }
}

function Invoke-FanOut1000 {
    # Runbooks fan out over every tenant or shard: one Invoke-KPod call with a thousand pods at once, beside the
    # floor, and the memory per pod at three sizes (a flat figure means nothing is kept per pod that should not be).
    $sizes = 200, 500, 1000
    $count = $sizes[-1]
    $ours = @{}
    foreach ($size in $sizes) {
        Write-Step "FanOut1000: PodManager ($size pods, one Invoke-KPod -ThrottleLimit $size)"
        $usage = Get-ClusterUsage
        $result = Invoke-Ours FanOut @('-Prefix', "fk$size", '-Count', $size)
        $used = Get-ClusterUsage
        if ($result.Succeeded -ne $size -or $result.LogsWithDone -ne $size -or $result.Deleted -ne $size) { throw "FanOut1000: PodManager ran $($result.Succeeded) of $size pods, $($result.LogsWithDone) logs, $($result.Deleted) deleted." }
        $ours[$size] = [pscustomobject]@{
            Ms = $result.WallMs; Requests = Get-RequestsPerPod $result.Requests $size; PeakKB = $result.PeakKB
            PerHundredKB = ($result.PeakKB - $result.RssBeforeKB) / $size * 100; Before = $usage; After = $used
        }
    }
    Write-Step "FanOut1000: floor ($count pods through KubernetesClient)"
    Invoke-Admin DELETE /_testcluster/requests | Out-Null
    $usage = Get-ClusterUsage
    $floor = Invoke-Floor fanout @('--count', $count, '--prefix', "fl$count")
    $floorUsed = Get-ClusterUsage
    if ($floor.LogsWithDone -ne $count) { throw "FanOut1000: the floor read $($floor.LogsWithDone) of $count logs." }
    $floorRequests = Get-RequestsPerPod (Invoke-Admin GET /_testcluster/requests) $count
    $big = $ours[$count]
    $ratio = $big.Ms / $floor.WallMs
    $wallMet = $ratio -le 1.3
    $requestsMet = $big.Requests.PerPod -le 3
    $memoryMet = $big.PeakKB -lt 400 * 1024
    $perHundred = ($sizes | ForEach-Object { '{0:0.0}' -f ($ours[$_].PerHundredKB / 1024) }) -join ' / '
    Add-Row FanOut1000 "wall time, $count pods" (Format-Ms $big.Ms) '' '' (Format-Ms $floor.WallMs) 'within 1.3x the floor' (Yes $wallMet)
    Add-Row FanOut1000 'API requests per pod (+ shared watch/list)' ('{0:0.##} (+{1})' -f $big.Requests.PerPod, $big.Requests.Shared) '' '' ('{0:0.##} (+{1})' -f $floorRequests.PerPod, $floorRequests.Shared) '3 + shared' (Yes $requestsMet)
    Add-Row FanOut1000 'pwsh peak memory (VmHWM)' (Format-MB $big.PeakKB) '' '' '' 'under 400 MB' (Yes $memoryMet)
    Add-Row FanOut1000 "pwsh MB per 100 pods at $($sizes -join ' / ') pods" $perHundred '' '' '' 'flat'
    $cluster = 'not measured'
    if ($big.Before -and $big.After) {
        $cpu = ($big.After.OwnSeconds - $big.Before.OwnSeconds) + ($big.After.ChildrenSeconds - $big.Before.ChildrenSeconds)
        $cluster = '{0:0.0} s CPU ({1:0.0} s its own, {2:0.0} s its containers''), {3} resident after, {4} peak' -f $cpu,
            ($big.After.OwnSeconds - $big.Before.OwnSeconds), ($big.After.ChildrenSeconds - $big.Before.ChildrenSeconds), (Format-MB $big.After.RssKB), (Format-MB $big.After.HwmKB)
        $floorCpu = ($floorUsed.OwnSeconds - $usage.OwnSeconds) + ($floorUsed.ChildrenSeconds - $usage.ChildrenSeconds)
        Add-Row FanOut1000 'test cluster CPU for the run (its own + containers)' ('{0:0.0} s' -f $cpu) '' '' ('{0:0.0} s' -f $floorCpu)
        Add-Row FanOut1000 'test cluster memory (resident after / peak)' ('{0} / {1}' -f (Format-MB $big.After.RssKB), (Format-MB $big.After.HwmKB))
    }
    Add-Goal FanOut1000 ($wallMet -and $requestsMet -and $memoryMet) ("{0} pods through one Invoke-KPod -ThrottleLimit {0} in {1}, {2:0.00}x the floor's {3} (goal 1.3x): {4}. Requests per pod: {5:0.##} ({6}), goal 3: {7}. Peak memory {8} (goal under 400 MB): {9}; MB per 100 pods at {10} pods: {11}. The test cluster for the PodManager run: {12}." -f
        $count, (Format-Ms $big.Ms), $ratio, (Format-Ms $floor.WallMs), $(if ($wallMet) { 'met' } else { 'missed' }), $big.Requests.PerPod, $big.Requests.Detail, $(if ($requestsMet) { 'met' } else { 'missed' }),
        (Format-MB $big.PeakKB), $(if ($memoryMet) { 'met' } else { 'missed' }), ($sizes -join ', '), $perHundred, $cluster)
    $Notes.FanOut1000 = [pscustomobject]@{ Ours = $ours; Floor = $floor; FloorRequests = $floorRequests; Ratio = $ratio; Count = $count; Cluster = $cluster }
}

#endregion

#region LogThroughput

function Invoke-LogThroughput {
    $lines = if ($Quick) { 50000 } else { 1000000 }
    $rounds = if ($Quick) { 1 } else { 3 }
    $pod = 'log-source'
    # 1,000,000 lines of 60 bytes (59 and a newline), each numbered: about 60 MB.
    $yaml = Join-Path $WorkDirectory 'log-source.yaml'
    Set-Content -Path $yaml -Value (New-PodYaml $pod 'log-source' "seq -f 'line %07g of the benchmark log: the quick brown fox jumps' 1 $lines")
    Write-Step "LogThroughput: writing $lines lines"
    Assert-Success (Invoke-Kubectl create -f $yaml) 'kubectl create' | Out-Null
    Assert-Success (Invoke-Kubectl wait --for=jsonpath='{.status.phase}'=Succeeded "pod/$pod" --timeout=300s) 'kubectl wait' | Out-Null
    $files = @{}
    foreach ($way in 'kubectl', 'outfile', 'raw', 'floor', 'alone') { $files[$way] = Join-Path $WorkDirectory "log-$way.txt" }
    $results = @{ Kubectl = @(); OutFile = @(); Raw = @(); Objects = @(); Floor = @(); RawNull = @(); OutFileAlone = @() }
    # RawNull and OutFileAlone split -Raw into a file into its two parts: PodManager's strings without a sink, and
    # Out-File's own cost for as many strings from a plain loop.
    $ways = 'Kubectl', 'OutFile', 'Raw', 'Objects', 'Floor', 'RawNull', 'OutFileAlone'
    for ($round = 0; $round -le $rounds; $round++) {
        # Round 0 is the warm-up (page cache, the cluster's JIT); it is not counted. A quick run warms up the same way,
        # so that its figures differ from a full run's only by the log's size.
        foreach ($way in $ways) {
            Write-Step "LogThroughput: $(if ($round) { "round $round/$rounds" } else { 'warm-up' }), $way"
            $measure = switch ($way) {
                'Kubectl' {
                    $run = Assert-Success (Invoke-Process sh @('-c', "kubectl --kubeconfig '$KubeConfig' --cache-dir '$CacheDir' logs $pod > '$($files.kubectl)'")) 'kubectl logs'
                    [pscustomobject]@{ Ms = $run.Ms; Bytes = (Get-Item $files.kubectl).Length; Lines = $null; GrowthKB = $null; PeakKB = $null }
                }
                'Floor' {
                    $r = Invoke-Floor logs @('--pod', $pod, '--out', $files.floor)
                    [pscustomobject]@{ Ms = $r.Ms; Bytes = $r.Bytes; Lines = $null; GrowthKB = $null; PeakKB = $null }
                }
                'OutFileAlone' {
                    $r = Invoke-Ours OutFileAlone @('-Count', $lines, '-OutFile', $files.alone)
                    [pscustomobject]@{ Ms = $r.Ms; Bytes = $r.Bytes; Lines = $r.Lines; GrowthKB = $null; PeakKB = $null }
                }
                default {
                    $file = if ($way -eq 'Raw') { $files.raw } else { $files.outfile }
                    $r = Invoke-Ours "Log$way" @('-Pod', $pod, '-OutFile', $file)
                    [pscustomobject]@{ Ms = $r.Ms; Bytes = $r.Bytes; Lines = $r.Lines; GrowthKB = $r.PeakKB - $r.RssBeforeKB; PeakKB = $r.PeakKB }
                }
            }
            if ($round) { $results[$way] += $measure }
        }
    }
    Remove-BenchPods 'bench=log-source'
    $expected = (Get-Item $files.kubectl).Length
    foreach ($way in 'OutFile', 'Raw', 'Floor', 'OutFileAlone') {
        if ($results[$way][-1].Bytes -ne $expected) { throw "LogThroughput: $way wrote $($results[$way][-1].Bytes) bytes, kubectl $expected." }
    }
    if ($results.Objects[-1].Lines -ne $lines) { throw "LogThroughput: Get-KPodLog gave $($results.Objects[-1].Lines) objects of $lines lines." }
    $mb = $expected / 1MB
    $rate = @{}
    foreach ($way in $ways) { $rate[$way] = $mb / ((Get-Median $results[$way].Ms) / 1000) }
    $rawMet = $rate.Raw -ge $rate.Kubectl
    $linesPerSecond = $lines / ((Get-Median $results.Objects.Ms) / 1000)
    $growth = @{}
    foreach ($way in 'OutFile', 'Raw', 'Objects') { $growth[$way] = ($results[$way].GrowthKB | Measure-Object -Maximum).Maximum }
    $outFileMet = $rate.OutFile -ge 0.8 * $rate.Kubectl
    $objectsMet = $linesPerSecond -ge 200000
    $memoryMet = ($growth.Values | Measure-Object -Maximum).Maximum -lt 50 * 1024
    $size = '{0:0.0} MB' -f $mb
    Add-Row LogThroughput "-OutFile, $size (median of $rounds)" ('{0:0} MB/s' -f $rate.OutFile) ('{0:0} MB/s' -f $rate.Kubectl) '' ('{0:0} MB/s' -f $rate.Floor) 'at least 0.8x kubectl' (Yes $outFileMet)
    Add-Row LogThroughput '-Raw into a file (Out-File)' ('{0:0} MB/s' -f $rate.Raw) ('{0:0} MB/s' -f $rate.Kubectl) '' '' 'at least kubectl, or explained' (Yes $rawMet)
    Add-Row LogThroughput '-Raw into Out-Null (no sink)' ('{0:0} MB/s ({1:0} lines/s)' -f $rate.RawNull, ($lines / ((Get-Median $results.RawNull.Ms) / 1000)))
    Add-Row LogThroughput 'Out-File alone: as many strings from a plain loop, no PodManager' ('{0:0} MB/s ({1:0} lines/s)' -f $rate.OutFileAlone, ($lines / ((Get-Median $results.OutFileAlone.Ms) / 1000)))
    Add-Row LogThroughput "objects counted, $lines lines" ('{0:0} lines/s ({1:0} MB/s)' -f $linesPerSecond, $rate.Objects) '' '' '' 'at least 200,000 lines/s' (Yes $objectsMet)
    Add-Row LogThroughput 'pwsh memory growth: -OutFile / -Raw / objects' ('{0} / {1} / {2}' -f (Format-MB $growth.OutFile), (Format-MB $growth.Raw), (Format-MB $growth.Objects)) '' '' '' 'under 50 MB' (Yes $memoryMet)
    Add-Goal 'LogThroughput -OutFile' $outFileMet ('{0:0} MB/s against kubectl logs > file at {1:0} MB/s ({2:0.00}x; kubectl''s figure includes its own start, ~0.1 s); reading the same log straight through KubernetesClient into a file, the floor, runs at {3:0} MB/s.' -f $rate.OutFile, $rate.Kubectl, ($rate.OutFile / $rate.Kubectl), $rate.Floor)
    Add-Goal 'LogThroughput -Raw' $rawMet ('-Raw into a file with Out-File runs at {0:0} MB/s, kubectl at {1:0} MB/s. Its two parts: -Raw into Out-Null runs at {2:0} MB/s, and Out-File alone, given as many strings by a plain PowerShell loop with no PodManager, at {3:0} MB/s: {4}' -f
        $rate.Raw, $rate.Kubectl, $rate.RawNull, $rate.OutFileAlone, $(if ($rawMet) { 'met.' } else { 'Out-File''s cost per string sets the rate; -OutFile (or a foreach statement writing to a StreamWriter) is the way to write a log to a file, see below.' }))
    Add-Goal 'LogThroughput objects' $objectsMet ('{0:0} KPodLogLine objects per second through Get-KPodLog | Measure-Object; -Raw into a file with Out-File runs at {1:0} MB/s.' -f $linesPerSecond, $rate.Raw)
    Add-Goal 'LogThroughput memory' $memoryMet ('peak working set above the warm process''s: {0} for -OutFile, {1} for -Raw, {2} for objects, on a {3} log (peaks {4}, {5}, {6}).' -f
        (Format-MB $growth.OutFile), (Format-MB $growth.Raw), (Format-MB $growth.Objects), $size,
        (Format-MB ($results.OutFile.PeakKB | Measure-Object -Maximum).Maximum), (Format-MB ($results.Raw.PeakKB | Measure-Object -Maximum).Maximum), (Format-MB ($results.Objects.PeakKB | Measure-Object -Maximum).Maximum))
    foreach ($file in $files.Values) { Remove-Item $file -ErrorAction Ignore }
    $Notes.LogThroughput = [pscustomobject]@{ Rate = $rate; LinesPerSecond = $linesPerSecond; Growth = $growth; MB = $mb }
}

#endregion

#region ImportTime and FirstPod

function Invoke-ImportTime {
    $pairs = if ($Quick) { 2 } else { 10 }
    $bare = @(); $import = @()
    $bareArgs = @($PwshDll, '-NoProfile', '-NonInteractive', '-c', 'exit')
    $importArgs = @($PwshDll, '-NoProfile', '-NonInteractive', '-c', "Import-Module '$ModulePath'")
    Write-Step "ImportTime: $(if (-not $Quick) { 'warm-up, then ' })$pairs pairs"
    if (-not $Quick) {
        Assert-Success (Invoke-Process dotnet $bareArgs) 'pwsh' | Out-Null
        Assert-Success (Invoke-Process dotnet $importArgs) 'pwsh Import-Module' | Out-Null
    }
    for ($i = 0; $i -lt $pairs; $i++) {
        $bare += (Assert-Success (Invoke-Process dotnet $bareArgs) 'pwsh').Ms
        $import += (Assert-Success (Invoke-Process dotnet $importArgs) 'pwsh Import-Module').Ms
    }
    $bareMs = Get-Median $bare; $importMs = Get-Median $import
    $delta = $importMs - $bareMs
    Add-Row ImportTime "Import-Module over bare pwsh (median of $pairs)" (Format-Ms $delta) '' '' '' 'under 300 ms' (Yes ($delta -lt 300))
    Add-Row ImportTime 'bare pwsh -NoProfile -c exit' (Format-Ms $bareMs)
    Add-Goal ImportTime ($delta -lt 300) ("``pwsh -NoProfile -c 'Import-Module ./out/PodManager'`` takes {0} against {1} for a bare ``pwsh -NoProfile -c exit``: the module adds {2}." -f (Format-Ms $importMs), (Format-Ms $bareMs), (Format-Ms $delta))
    $Notes.ImportTime = [pscustomobject]@{ Bare = $bareMs; Import = $importMs; Delta = $delta }
}

function Invoke-FirstPod {
    $pairs = if ($Quick) { 1 } else { 5 }
    $ours = @(); $kubectl = @(); $kubectlPrinted = 0
    $message = 'hello from a pod'
    for ($i = [int]$Quick.IsPresent; $i -le $pairs; $i++) {
        Write-Step "FirstPod: $(if ($i) { "pair $i/$pairs" } else { 'warm-up' })"
        $script = "Import-Module '$ModulePath'; Invoke-KPod -Image alpine -Name fp-ours-$i -Command sh -Argument '-c', 'echo $message' -ShowLogs -InformationAction Continue | Out-Null"
        $run = Assert-Success (Invoke-Process dotnet @($PwshDll, '-NoProfile', '-NonInteractive', '-c', $script) -Environment @{ KUBECONFIG = $KubeConfig }) 'FirstPod (PodManager)'
        if ($run.Stdout -notmatch $message) { throw "FirstPod: PodManager printed '$($run.Stdout)'." }
        if ($i) { $ours += $run.Ms }
        $run = Assert-Success (Invoke-Process kubectl @('--kubeconfig', $KubeConfig, '--cache-dir', $CacheDir, 'run', "fp-kubectl-$i", '--rm', '-i', '--restart=Never', '--image=alpine', '--command', '--', 'sh', '-c', "echo $message")) 'FirstPod (kubectl)'
        # The test cluster has no attach: kubectl falls back to one log read once the pod runs, which can come
        # before the echo; count how often it printed the log rather than fail.
        if ($i) { $kubectl += $run.Ms; if ($run.Stdout -match $message) { $kubectlPrinted++ } }
    }
    # Where the time goes in the fresh process: pwsh itself, the import, the first and a second pod.
    # With the methods the JIT compiled in each: the first call's one-time work is mostly compiling code.
    $spans = "`$c = [Diagnostics.Stopwatch]::StartNew(); Import-Module '$ModulePath'; `$i = `$c.Elapsed.TotalMilliseconds; `$j0 = [System.Runtime.JitInfo]::GetCompiledMethodCount(`$false); " +
    "Invoke-KPod -Image alpine -Name fp-span-1 -Command sh -Argument '-c', 'echo $message' -ShowLogs 6>`$null | Out-Null; `$f = `$c.Elapsed.TotalMilliseconds; `$j1 = [System.Runtime.JitInfo]::GetCompiledMethodCount(`$false); " +
    "Invoke-KPod -Image alpine -Name fp-span-2 -Command sh -Argument '-c', 'echo $message' -ShowLogs 6>`$null | Out-Null; `$s = `$c.Elapsed.TotalMilliseconds; `$j2 = [System.Runtime.JitInfo]::GetCompiledMethodCount(`$false); " +
    "'{0} {1} {2} {3} {4}' -f `$i, (`$f - `$i), (`$s - `$f), (`$j1 - `$j0), (`$j2 - `$j1)"
    $spanRuns = if ($Quick) { 1 } else { 3 }
    $samples = @(for ($i = 1; $i -le $spanRuns; $i++) {
        Write-Step "FirstPod: where the time goes ($i/$spanRuns)"
        $run = Assert-Success (Invoke-Process dotnet @($PwshDll, '-NoProfile', '-NonInteractive', '-c', $spans.Replace('fp-span-', "fp-span$i-")) -Environment @{ KUBECONFIG = $KubeConfig }) 'FirstPod spans'
        , @(($run.Stdout.Trim() -split "`n")[-1] -split ' ' | ForEach-Object { [double]$_ })
    })
    # Each figure is the median of the runs.
    $span = for ($k = 0; $k -lt 5; $k++) { Get-Median @($samples | ForEach-Object { $_[$k] }) }
    $oursMs = Get-Median $ours; $kubectlMs = Get-Median $kubectl
    $met = $oursMs -le 1.5 * $kubectlMs
    Add-Row FirstPod "fresh process to the pod's log (median of $pairs)" (Format-Ms $oursMs) (Format-Ms $kubectlMs) '' '' 'within 1.5x kubectl' (Yes $met)
    Add-Row FirstPod "in-process: import / first pod / second pod (median of $spanRuns)" ('{0} / {1} / {2}' -f (Format-Ms $span[0]), (Format-Ms $span[1]), (Format-Ms $span[2])) '' '' '' 'first within 300 ms of the second' (Yes ($span[1] - $span[2] -le 300))
    Add-Row FirstPod 'methods JIT-compiled: first pod / second pod' ('{0:0} / {1:0}' -f $span[3], $span[4])
    Add-Goal FirstPod $met ('a fresh pwsh that imports the module, runs one pod and prints its log takes {0}, kubectl run --rm -i {1} ({2:0.0}x; kubectl printed the log in {6} of its {7} runs, see below). Inside that process the import takes {3}, the first Invoke-KPod {4} and a second one {5}.' -f
        (Format-Ms $oursMs), (Format-Ms $kubectlMs), ($oursMs / $kubectlMs), (Format-Ms $span[0]), (Format-Ms $span[1]), (Format-Ms $span[2]), $kubectlPrinted, $pairs)
    Add-Goal 'FirstPod in-process' ($span[1] - $span[2] -le 300) ('the first Invoke-KPod of a fresh process takes {0} more than the second (goal: at most 300 ms more); it JIT-compiles {1:0} methods, the second {2:0}.' -f (Format-Ms ($span[1] - $span[2])), $span[3], $span[4])
    $Notes.FirstPod = [pscustomobject]@{ Ours = $oursMs; Kubectl = $kubectlMs; KubectlPrinted = $kubectlPrinted; Pairs = $pairs; Import = $span[0]; First = $span[1]; Second = $span[2]; FirstJit = $span[3]; SecondJit = $span[4] }
}

#endregion

#region report

function Get-Machine {
    $memory = [regex]::Match((Get-Content -Raw /proc/meminfo), 'MemTotal:\s+(\d+)').Groups[1].Value
    $os = ([regex]::Match((Get-Content -Raw /etc/os-release), 'PRETTY_NAME="([^"]+)"')).Groups[1].Value
    $cpu = ([regex]::Match((Get-Content -Raw /proc/cpuinfo), 'model name\s*:\s*(.+)')).Groups[1].Value.Trim()
    $kubectl = ((Invoke-Process kubectl @('version', '--client', '-o', 'json')).Stdout | ConvertFrom-Json).clientVersion.gitVersion
    [pscustomobject]@{
        Cores   = [Environment]::ProcessorCount
        Memory  = '{0:0.0} GiB' -f ([double]$memory / 1MB)
        OS      = "$os, Linux $([Environment]::OSVersion.Version)"
        Cpu     = $cpu
        Dotnet  = [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        Pwsh    = (Invoke-Process dotnet @($PwshDll, '-NoProfile', '-c', '$PSVersionTable.PSVersion.ToString()')).Stdout.Trim()
        Kubectl = $kubectl
    }
}

function Get-Load { (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3 }

function Format-LoadMark([double] $Before, [double] $After) {
    <# The 1-minute load average before and after a scenario; above the core count, its figures are marked as taken on a loaded machine. #>
    $text = '{0:0.0} / {1:0.0}' -f $Before, $After
    if ([Math]::Max($Before, $After) -gt [Environment]::ProcessorCount) { "$text **loaded**" } else { $text }
}

function Format-Table-Markdown {
    $lines = @('| scenario | measure | PodManager | kubectl | Airflow''s model (2 s poll) | floor (KubernetesClient, no PowerShell) | goal | met | load before / after |', '|---|---|---|---|---|---|---|---|---|')
    foreach ($row in $Rows) {
        $lines += "| $($row.Scenario) | $($row.Measure) | $($row.PodManager) | $($row.Kubectl) | $($row.AirflowPoll) | $($row.Floor) | $($row.Goal) | $($row.Met) | $($row.Load) |"
    }
    $lines -join "`n"
}

#endregion

$started = [DateTime]::UtcNow
$loadBefore = Get-Load
$machine = Get-Machine
New-Item -ItemType Directory -Path $CacheDir -Force | Out-Null
# Fill kubectl's discovery cache once, as any user's kubectl has it.
Assert-Success (Invoke-Kubectl get pods) 'kubectl get pods' | Out-Null
$timer = [Diagnostics.Stopwatch]::StartNew()
$Loaded = [Collections.Generic.List[string]]::new()
foreach ($name in $Selected) {
    $first = $Rows.Count
    $before = [double](Get-Load)[0]
    Write-Host "$name$(if ($Quick) { ' (quick)' }): load average $before before"
    & "Invoke-$name"
    $after = [double](Get-Load)[0]
    Write-Host "${name}: load average $after after"
    $mark = Format-LoadMark $before $after
    for ($i = $first; $i -lt $Rows.Count; $i++) { $Rows[$i].Load = $mark }
    if ([Math]::Max($before, $after) -gt [Environment]::ProcessorCount) { $Loaded.Add($name) }
}
$timer.Stop()
$loadAfter = Get-Load

Write-Host ''
Write-Host (Format-Table-Markdown)
Write-Host ''
$Goals | ForEach-Object { Write-Host $_ }
Write-Host ("Benchmark: {0:0} s" -f $timer.Elapsed.TotalSeconds)

$full = -not $Quick -and $Selected.Count -eq $AllScenarios.Count
$doc = if ($full) { Join-Path $Root 'docs/benchmarks.md' } else { Join-Path $WorkDirectory 'benchmarks.md' }
$analysis = & (Join-Path $PSScriptRoot 'Analysis.ps1') -Notes $Notes
$text = @"
# Benchmarks

PodManager beside ``kubectl`` and the Airflow operator's polling model (issue 6), every figure measured in
the same run on the same test cluster. Written by ``$Command``$(if (-not $full) { " ($(if ($Quick) { 'quick, ' })scenarios: $($Selected -join ', '))" }) on
$($started.ToString('yyyy-MM-dd HH:mm')) UTC in $([Math]::Round($timer.Elapsed.TotalMinutes, 1)) minutes.

Rerun: ``dotnet tool restore && dotnet pwsh ./build.ps1 -Task Bench`` (all of it, about 15 minutes here; rewrites this
page), ``-Scenario FanOut,FirstPod`` for some, ``-Quick`` for a scaled-down run whose benchmark part (after the build) aims at a minute: 56 s
measured on this machine from a clean clone (those two write
``out/bench/benchmarks.md`` and leave this page alone).

## The machine

| | |
|---|---|
| cores | $($machine.Cores) ($($machine.Cpu)) |
| memory | $($machine.Memory) |
| OS | $($machine.OS) |
| runtime | $($machine.Dotnet), pwsh $($machine.Pwsh) (the ``PowerShell`` dotnet tool), kubectl $($machine.Kubectl) |
| load average (1, 5, 15 min) | $($loadBefore -join ', ') before, $($loadAfter -join ', ') after |

The test cluster (``src/PodManager.TestCluster``, Release) runs on the same cores as the clients and runs every
container as real processes, so everything here competes for the same two CPUs. It is started with
``--node-pods 1100`` so that FanOut1000's thousand pods are scheduled at once rather than in waves of 110.

## Results

The last column is the machine's 1-minute load average when the scenario began and when it ended; a scenario
during which it exceeded the core count ($([Environment]::ProcessorCount)) is marked **loaded**: its figures compare with the others of the same
run (each scenario alternates its ways), not with another run's. $(if ($Loaded.Count) { "Loaded in this run: $($Loaded -join ', ')." } else { 'No scenario of this run was loaded.' })$(if ($Quick) { ' This is a quick run: smaller samples, warmed up as a full run is; rows marked "not comparable" measure a scaled-down scenario.' })

$(Format-Table-Markdown)

## Goals

$($Goals -join "`n")

$analysis
"@
New-Item -ItemType Directory -Path (Split-Path $doc) -Force | Out-Null
Set-Content -Path $doc -Value $text.TrimEnd()
Write-Host "Written: $doc"
