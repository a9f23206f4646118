<#
.SYNOPSIS
    PodManager's side of a benchmark scenario, run in a fresh pwsh by Bench.ps1 so that the peak memory
    (VmHWM) read at the end is this process's alone. Prints one JSON object as its last line.
.DESCRIPTION
    CompletionOurs  creates the pods (sleep S; date +%s%N), pipes them into Wait-KPodCompletion and notes the
                    wall clock as each comes out; then reads each log's last line (the pod's own stamp).
    CompletionPoll  Airflow's model on the same pods: per pod, read it (Get-KPod), and if it has not
                    finished sleep 2 s and read again; notes when each is first seen finished.
    FanOut          Count pods (sleep 2; echo done) through Invoke-KPod -ThrottleLimit Count -ShowLogs.
    LogOutFile      Get-KPodLog -OutFile of a finished pod.
    LogRaw          Get-KPodLog -Raw of a finished pod, into a file (Out-File, which streams; Set-Content holds all its input).
    LogObjects      Get-KPodLog of a finished pod, the objects counted (Measure-Object).
    LogRawNull      Get-KPodLog -Raw of a finished pod into Out-Null: what -Raw costs without a sink.
    OutFileAlone    no PodManager: -Count strings of a log line from a plain loop into Out-File, what the sink costs alone.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [ValidateSet('CompletionOurs', 'CompletionPoll', 'FanOut', 'LogOutFile', 'LogRaw', 'LogObjects', 'LogRawNull', 'OutFileAlone')] [string] $Action,
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $Prefix = 'bench',
    [string] $Sleep = '',
    [int] $Count = 0,
    [string] $Pod,
    [string] $OutFile,
    [string] $Server,
    [int] $WarmLines = 100000
)

# The admin token comes through the environment, never the command line, which error messages and ps show.
$AdminToken = $env:PODMANAGER_BENCH_ADMIN_TOKEN

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Get-UnixNanos { ([DateTime]::UtcNow.Ticks - [DateTime]::UnixEpoch.Ticks) * 100 }

function Get-Memory {
    # Kilobytes of this process: resident now (VmRSS) and the peak so far (VmHWM).
    $status = Get-Content -Raw /proc/self/status
    [pscustomobject]@{
        RssKB = [long]([regex]::Match($status, 'VmRSS:\s+(\d+)').Groups[1].Value)
        HwmKB = [long]([regex]::Match($status, 'VmHWM:\s+(\d+)').Groups[1].Value)
    }
}

function Invoke-Admin([string] $Method, [string] $Path) {
    # The test cluster's admin API, with the kubeconfig's full-access token; loopback only.
    if ($Server -notmatch '^https://127\.0\.0\.1:\d+$') { throw "Refusing admin call to '$Server': loopback only." }
    Invoke-RestMethod -Method $Method -Uri "$Server$Path" -Headers @{ Authorization = "Bearer $AdminToken" } -SkipCertificateCheck
}

Import-Module $ModulePath

# A warm-up pod through the cmdlets the action uses, so that the figures are of a warm process (JIT, TLS,
# the shared watch), as in a runbook that has already done something; first-run costs are FirstPod's.
function Invoke-WarmUp {
    $warm = New-KPod -Image alpine -Name "$Prefix-warm" -Command sh -Argument '-c', 'echo warm'
    $warm | Wait-KPodCompletion | Out-Null
    $warm | Get-KPodLog -Raw | Out-Null
    $warm | Get-KPod | Out-Null
    $warm | Remove-KPod
}

$result = switch ($Action) {
    { $_ -in 'CompletionOurs', 'CompletionPoll' } {
        Invoke-WarmUp
        $seconds = @($Sleep -split ',')
        $pods = for ($i = 0; $i -lt $seconds.Count; $i++) {
            New-KPod -Image alpine -Name "$Prefix-$i" -Command sh -Argument '-c', "sleep $($seconds[$i]); date +%s%N"
        }
        $created = [DateTime]::UtcNow
        $returned = @{}
        if ($Action -eq 'CompletionOurs') {
            $pods | Wait-KPodCompletion | ForEach-Object { $returned[$_.Name] = Get-UnixNanos }
        }
        else {
            # One loop per pod, as each operator has its own: read, and if not finished, sleep 2 s. The loops
            # are interleaved on this thread by their next due time (each read takes a few milliseconds).
            $due = @{}
            foreach ($p in $pods) { $due[$p.Name] = $created }
            while ($due.Count -gt 0) {
                $next = $due.GetEnumerator() | Sort-Object Value | Select-Object -First 1
                $wait = $next.Value - [DateTime]::UtcNow
                if ($wait -gt [TimeSpan]::Zero) { Start-Sleep -Duration $wait }
                $state = Get-KPod -Name $next.Key
                if ($state.Phase -in 'Succeeded', 'Failed') {
                    $returned[$next.Key] = Get-UnixNanos
                    $due.Remove($next.Key)
                }
                else {
                    $due[$next.Key] = $next.Value.AddSeconds(2)
                }
            }
        }

        $samples = foreach ($p in $pods) {
            $printed = $p | Get-KPodLog -Raw -Tail 1
            [pscustomobject]@{ Name = $p.Name; Printed = [long]"$printed".Trim(); Returned = $returned[$p.Name] }
        }
        $pods | Remove-KPod
        [pscustomobject]@{ Samples = @($samples) }
    }
    'FanOut' {
        Invoke-WarmUp
        $specs = 1..$Count | ForEach-Object {
            [pscustomobject]@{ Image = 'alpine'; Name = "$Prefix-$_"; Command = 'sh'; Argument = @('-c', 'sleep 2; echo done') }
        }
        $before = Get-Memory
        Invoke-Admin DELETE /_testcluster/requests | Out-Null
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $results = $specs | Invoke-KPod -ThrottleLimit $Count -ShowLogs -InformationVariable logs
        $clock.Stop()
        $requests = Invoke-Admin GET /_testcluster/requests
        [pscustomobject]@{
            WallMs       = $clock.Elapsed.TotalMilliseconds
            Pods         = @($results).Count
            Succeeded    = @($results | Where-Object Phase -EQ 'Succeeded').Count
            Deleted      = @($results | Where-Object Deleted).Count
            LogsWithDone = @($logs | Where-Object { "$($_.MessageData)" -eq 'done' }).Count
            Requests     = $requests
            RssBeforeKB  = $before.RssKB
        }
    }
    { $_ -like 'Log*' } {
        # Warm the process the same way in a quick and a full run: the measured way on the log's last $WarmLines
        # lines (all of a quick run's log), again until a read is no longer 20% faster than the one before, so
        # that compiling and tiering up (which a loaded machine delays) are done before the clock starts whatever
        # the log's size; then read the whole log once.
        $previous = [double]::MaxValue
        for ($warm = 0; $warm -lt 6; $warm++) {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            switch ($Action) {
                'LogOutFile' { Get-KPodLog -Name $Pod -Tail $WarmLines -OutFile $OutFile }
                'LogRaw' { Get-KPodLog -Name $Pod -Tail $WarmLines -Raw | Out-File -FilePath $OutFile }
                'LogObjects' { Get-KPodLog -Name $Pod -Tail $WarmLines | Measure-Object | Out-Null }
                'LogRawNull' { Get-KPodLog -Name $Pod -Tail $WarmLines -Raw | Out-Null }
            }
            $ms = $clock.Elapsed.TotalMilliseconds
            if ($ms -gt 0.8 * $previous) { break }
            $previous = $ms
        }
        [GC]::Collect()
        $before = Get-Memory
        $lines = $null
        $clock = [Diagnostics.Stopwatch]::StartNew()
        switch ($Action) {
            'LogOutFile' { Get-KPodLog -Name $Pod -OutFile $OutFile }
            'LogRaw' { Get-KPodLog -Name $Pod -Raw | Out-File -FilePath $OutFile }
            'LogObjects' { $lines = (Get-KPodLog -Name $Pod | Measure-Object).Count }
            'LogRawNull' { Get-KPodLog -Name $Pod -Raw | Out-Null }
        }
        $clock.Stop()
        [pscustomobject]@{
            Ms          = $clock.Elapsed.TotalMilliseconds
            Bytes       = if ($Action -in 'LogObjects', 'LogRawNull') { $null } else { (Get-Item $OutFile).Length }
            Lines       = $lines
            RssBeforeKB = $before.RssKB
        }
    }
    'OutFileAlone' {
        # The same lines as the benchmark log's, from a plain loop: Out-File's own cost per string, warmed the same way.
        $text = 'line 0000001 of the benchmark log: the quick brown fox jumps'
        $warmCount = [Math]::Min($Count, $WarmLines)
        $previous = [double]::MaxValue
        for ($warm = 0; $warm -lt 6; $warm++) {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            & { for ($i = 0; $i -lt $warmCount; $i++) { $text } } | Out-File -FilePath $OutFile
            $ms = $clock.Elapsed.TotalMilliseconds
            if ($ms -gt 0.8 * $previous) { break }
            $previous = $ms
        }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        & { for ($i = 0; $i -lt $Count; $i++) { $text } } | Out-File -FilePath $OutFile
        $clock.Stop()
        [pscustomobject]@{ Ms = $clock.Elapsed.TotalMilliseconds; Bytes = (Get-Item $OutFile).Length; Lines = $Count; RssBeforeKB = 0 }
    }
}

$memory = Get-Memory
$result | Add-Member -NotePropertyName PeakKB -NotePropertyValue $memory.HwmKB
$result | ConvertTo-Json -Depth 5 -Compress
