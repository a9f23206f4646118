# The cases of FaultMatrix.Tests.ps1 (dot-sourced at discovery and at run time): a
# fault, aimed at one pod or at the whole cluster, per consumer of a log.
$faults = @(
    @{ Fault = 'log streams cut after every line (x50)'; Rule = @{ CutLogStreams = $true; AfterLines = 1; Count = 50; Path = 'log' } }
    @{ Fault = 'log streams cut after 40 lines, aborted (x8)'; Rule = @{ CutLogStreams = $true; AfterLines = 40; Count = 8; Abort = $true; Path = 'log' } }
    @{ Fault = '429 with Retry-After on the log (x2)'; Rule = @{ Status = 429; RetryAfterSeconds = 1; Method = 'GET'; Count = 2; Path = 'log' } }
    @{ Fault = '500 on the log (x3)'; Rule = @{ Status = 500; Method = 'GET'; Count = 3; Path = 'log' } }
    @{ Fault = '503 on the pod''s delete (x2)'; Rule = @{ Status = 503; Method = 'DELETE'; Count = 2; Path = 'pod' } }
    @{ Fault = 'dropped log response'; Rule = @{ DropResponse = $true; Method = 'GET'; Count = 1; Path = 'log' } }
    @{ Fault = 'delayed log responses (x2)'; Rule = @{ DelayMilliseconds = 1500; Method = 'GET'; Count = 2; Path = 'log' } }
    @{ Fault = 'container OOM-killed'; Mid = 'terminate'; Phase = 'Failed'; ExitCode = 137 }
    @{ Fault = 'pod evicted'; Mid = 'evict'; Phase = 'Failed' }
)
$cases = foreach ($fault in $faults) {
    foreach ($consumer in 'Invoke-KPod -ShowLogs', 'Wait-KPodCompletion -ShowLogs', 'Get-KPodLog -Follow') {
        $case = $fault.Clone(); $case.Consumer = $consumer; $case
    }
}

$clusterFaults = @(
    @{ Fault = 'every watch closed'; Strike = 'close' }
    @{ Fault = 'the next watch expired (410 Gone)'; Strike = 'expire' }
    @{ Fault = 'a 3 s outage'; Strike = 'outage' }
    @{ Fault = 'the cluster killed'; Strike = 'kill'; ErrorId = 'ClusterUnreachable' }
    @{ Fault = 'the cluster killed and restarted on its port with a new CA'; Strike = 'restart'; ErrorId = 'CertificateRejected' }
)
$clusterCases = foreach ($fault in $clusterFaults) {
    foreach ($consumer in 'Invoke-KPod -ShowLogs', 'Wait-KPodCompletion -ShowLogs', 'Get-KPodLog -Follow') {
        $case = $fault.Clone(); $case.Consumer = $consumer; $case
    }
}

# Each consumer runs a pod of -Name printing what -Script prints, on the cluster of -Connection (splatted), and gives
# its lines, the pod's phase and exit code, and the error ids it wrote (a terminating error reaches -ErrorVariable as
# the exception that carries its record).
$consumers = @{
    'Invoke-KPod -ShowLogs'         = {
        param($name, $script, $connection)
        $out = @(Invoke-KPod @connection -Name $name -Image alpine -Command sh -Argument '-c', $script -ShowLogs -ErrorAction SilentlyContinue -ErrorVariable failed 6>&1)
        $result = $out | Where-Object { $_ -is [PodManager.KPodResult] }
        [pscustomobject]@{ Lines = @($out | Where-Object { $_ -is [Management.Automation.InformationRecord] } | ForEach-Object { "$($_.MessageData.Message)" }); Phase = "$($result.Phase)"; ExitCode = $result.ExitCode; Errors = @($failed | ForEach-Object { $record = if ($_ -is [Management.Automation.IContainsErrorRecord]) { $_.ErrorRecord } else { $_ }; ($record.FullyQualifiedErrorId -split ',')[0] }) }
    }
    'Wait-KPodCompletion -ShowLogs' = {
        param($name, $script, $connection)
        $pod = New-KPod @connection -Name $name -Image alpine -Command sh -Argument '-c', $script
        $out = @($pod | Wait-KPodCompletion -ShowLogs -ErrorAction SilentlyContinue -ErrorVariable failed 6>&1)
        $pod | Remove-KPod -ErrorAction SilentlyContinue -ErrorVariable +failed
        $done = $out | Where-Object { $_ -is [PodManager.KPod] }
        [pscustomobject]@{ Lines = @($out | Where-Object { $_ -is [Management.Automation.InformationRecord] } | ForEach-Object { "$($_.MessageData.Message)" }); Phase = "$($done.Phase)"; ExitCode = $done.ExitCode; Errors = @($failed | ForEach-Object { $record = if ($_ -is [Management.Automation.IContainsErrorRecord]) { $_.ErrorRecord } else { $_ }; ($record.FullyQualifiedErrorId -split ',')[0] }) }
    }
    'Get-KPodLog -Follow'           = {
        param($name, $script, $connection)
        $pod = New-KPod @connection -Name $name -Image alpine -Command sh -Argument '-c', $script
        $lines = @($pod | Get-KPodLog -Follow -Raw -ErrorAction SilentlyContinue -ErrorVariable failed)
        $done = $pod | Wait-KPodCompletion -ErrorAction SilentlyContinue -ErrorVariable failedWait
        $pod | Remove-KPod -ErrorAction SilentlyContinue -ErrorVariable +failedWait
        [pscustomobject]@{ Lines = $lines; Phase = "$($done.Phase)"; ExitCode = $done.ExitCode; Errors = @(@($failed) + @($failedWait) | ForEach-Object { $record = if ($_ -is [Management.Automation.IContainsErrorRecord]) { $_.ErrorRecord } else { $_ }; ($record.FullyQualifiedErrorId -split ',')[0] }) }
    }
}
