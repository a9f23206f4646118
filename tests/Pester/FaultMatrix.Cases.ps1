# The cases of FaultMatrix.Tests.ps1 (dot-sourced at discovery and at run time): a fault, aimed at one pod, per consumer.
$faults = @(
    @{ Fault = 'log streams cut after every line (x50)'; Rule = @{ CutLogStreams = $true; AfterLines = 1; Count = 50; Path = 'log' } }
    @{ Fault = 'log streams cut after 40 lines, aborted (x8)'; Rule = @{ CutLogStreams = $true; AfterLines = 40; Count = 8; Abort = $true; Path = 'log' } }
    @{ Fault = '429 with Retry-After on the log (x2)'; Rule = @{ Status = 429; RetryAfterSeconds = 1; Method = 'GET'; Count = 2; Path = 'log' } }
    @{ Fault = '500 on the log (x3)'; Rule = @{ Status = 500; Method = 'GET'; Count = 3; Path = 'log' } }
    @{ Fault = '503 on the pod (x2)'; Rule = @{ Status = 503; Method = 'GET'; Count = 2; Path = 'pod' } }
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
