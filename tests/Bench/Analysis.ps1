<#
.SYNOPSIS
    The method and "what limits each figure" sections of the benchmark page, from a run's notes.
.DESCRIPTION
    What was found by profiling (stopwatch spans, request counts, the KubernetesClient floor) is written here
    once, with the run's own figures filled in, so that every run rewrites an honest page.
#>
param([Parameter(Mandatory)] [System.Collections.IDictionary] $Notes)

function Get-Median([double[]] $Values) { $sorted = @($Values | Sort-Object); $sorted[[Math]::Max(0, [Math]::Ceiling($sorted.Count / 2) - 1)] }

function Ms([double] $Value) {
    if ([double]::IsNaN($Value)) { return 'n/a' }
    if ($Value -ge 1000) { return '{0:0.00} s' -f ($Value / 1000) }
    '{0:0} ms' -f $Value
}

$text = [Collections.Generic.List[string]]::new()
$text.Add('## How each figure is taken')
$text.Add('')
$text.Add(@'
- Every PodManager figure comes from a fresh `pwsh -NoProfile` that imports `out/PodManager`
  (`tests/Bench/Ours.ps1`); except in FirstPod and ImportTime, which measure a cold process on purpose, it first
  runs one warm-up pod through the cmdlets it measures, as a runbook that has already done something. Peak
  memory is that process's `VmHWM` from `/proc/self/status`; "growth" is `VmHWM` at the end minus `VmRSS`
  just before the measured call.
- The floor is `tests/Bench/Floor`, a C# console program on KubernetesClient 21.0.8 with no PowerShell and no
  PodManager: the same requests, made as directly as the client allows. What it takes is what the test cluster
  (and this machine) needs, whoever the client is.
- **CompletionLatency**: each round creates N pods whose command is `sleep S; date +%s%N`, S = base + 0.4 s
  per pod + up to 0.4 s at random, so the pods end 0.4 s apart (one waiter never holds up the next) at every
  phase of a 2 s poll. The latency is the waiter's wall clock when it returns minus the nanosecond stamp the
  pod printed as its last act (the same host clock). PodManager: the pods piped into `Wait-KPodCompletion`,
  each stamped as it comes out of the pipeline. kubectl: one `kubectl wait --for=jsonpath='{.status.phase}'=Succeeded`
  process per pod, started as soon as the pods exist, stamped by `date +%s%N` when it exits. Airflow's model:
  per pod, `Get-KPod` and, unless finished, sleep 2 s and read again (the operator's `await_pod_completion`
  loop), interleaved on one thread by due time. Floor: one KubernetesClient watch, stamped when it first
  delivers the pod finished. Rounds rotate the order of the four.
- **FanOut**: PodManager is `Invoke-KPod -ThrottleLimit 200 -ShowLogs` (so it reads every log, as the kubectl
  script does), timed around the call. kubectl is `tests/Bench/fanout-kubectl.sh`: `kubectl run`, `kubectl wait`,
  `kubectl logs`, `kubectl delete` per pod, 50 pods at a time through `xargs -P 50`, timed as a process.
  Requests come from the cluster's `/_testcluster/requests`, reset before each; "shared" is list and watch.
- **LogThroughput**: one finished pod that wrote the log with `seq` (1,000,000 lines of 60 bytes); each way
  reads all of it, once per round after a warm-up round. kubectl is `sh -c 'kubectl logs pod > file'` timed
  as a process (its own start, about 0.1 s, is included; PodManager's pwsh start is not).
- **ImportTime**: alternating `pwsh -NoProfile -NonInteractive -c exit` and `... -c 'Import-Module out/PodManager'`
  after one of each as warm-up; medians, then the difference.
- **FirstPod**: a fresh `pwsh -NoProfile -c "Import-Module ...; Invoke-KPod -Image alpine -Command sh -Argument '-c','echo hello from a pod' -ShowLogs -InformationAction Continue"`
  beside `kubectl run --rm -i --restart=Never ... -- sh -c 'echo hello from a pod'`, alternating, after a warm-up pair.
'@)
$text.Add('')
$text.Add('## What limits the figures')
$text.Add('')

if ($Notes.Contains('CompletionLatency')) {
    $p = $Notes.CompletionLatency
    $text.Add(@"
- **CompletionLatency.** PodManager's waiter returns $(Ms $p.Ours.P50) (p50) after the pod's last act; a bare
  KubernetesClient watch, the floor, hears of the same change after $(Ms $p.Floor.P50). Most of the time is the
  test cluster's: its kubelet notices the container's exit, writes the terminated state and the phase, and sends
  the watch event; what PodManager adds on top (parsing the event on the shared watch, waking the waiter,
  handing the KPod to the pipeline thread) is the difference, $(Ms ($p.Ours.P50 - $p.Floor.P50)). kubectl
  wait ($(Ms $p.Kubectl.P50)) has the same event to wait for, through its own watch per process. Airflow's
  2 s poll ($(Ms $p.Poll.P50), p95 $(Ms $p.Poll.P95)) is bounded by its interval: on average half of it, at worst all of it.
"@)
}
if ($Notes.Contains('FanOut')) {
    $f = $Notes.FanOut
    $text.Add(@"
- **FanOut wall time.** The test cluster sets the pace: it starts every container as real processes (about
  nine short-lived ones each, see docs/test-cluster.md, "Scale"), so 200 pods at once saturate both cores. The
  floor, which makes nothing but the requests, takes $(Ms (Get-Median $f.Floor.Ms)); PodManager takes $(Ms (Get-Median $f.Ours.Ms)), the rest being ours:
  a fresh pwsh pipeline running 200 runs with progress records, a log follow per pod and the one request more than the floor's
  (below), all competing with the containers for the same two cores (and, on the shared machine of this run, with
  whatever else ran: see the load average). The kubectl script is slower for a reason of its own: four kubectl
  processes per pod, each about 0.1 s of CPU to start, compete with the containers.
- **FanOut requests.** Per pod PodManager makes $('{0:0.##}' -f $f.OursRequests.PerPod) requests ($($f.OursRequests.Detail)); the floor makes
  $('{0:0.##}' -f $f.FloorRequests.PerPod) (create, log, delete) and kubectl $('{0:0.##}' -f $f.KubectlRequests.PerPod) plus a list and a watch per ``kubectl wait``. Ours are:
  the create; the log follow; the last line of the log (``tailLines=1``) once the follow's stream ends, which
  tells a finished log from a cut one, so every line arrives exactly once; and the delete. Every state in
  between comes from the one shared watch: the create's response stands in for the pod until the watch catches
  up with it (it is known to be behind when its resourceVersion is older than the response's), and a follow
  whose stream ended asks the live watch, not the API, whether the container has ended. A GET of the pod is
  left only for when the watch is down or silent, which a figure above 4 would show.
"@)
}
if ($Notes.Contains('LogThroughput')) {
    $l = $Notes.LogThroughput
    $text.Add(@"
- **LogThroughput.** ``-OutFile`` ($('{0:0}' -f $l.Rate.OutFile) MB/s) copies the received bytes to the file with no string per line,
  but it asks for timestamps (its cursor needs them to resume exactly once) and splits every line to drop them;
  the floor, the plain log copied to a file through KubernetesClient's HttpClient, runs at $('{0:0}' -f $l.Rate.Floor) MB/s, $(if ($l.Rate.OutFile -ge 0.8 * $l.Rate.Floor) { "so
  ``-OutFile`` is within 20% of what the test cluster can send" } else { "so the
  test cluster is not what limits ``-OutFile``: our per-line work is" }). kubectl ($('{0:0}' -f $l.Rate.Kubectl) MB/s) pays for its start and its
  own copy. Objects ($('{0:0}' -f $l.LinesPerSecond) lines/s) cost a ``KPodLogLine`` each, handed from the reading task to the pipeline
  thread and through ``Measure-Object``; at most 1,024 of them wait for the pipeline at once. ``-Raw`` into a file
  ($('{0:0}' -f $l.Rate.Raw) MB/s) is limited by ``Out-File`` itself: a million 60-byte strings from a plain PowerShell loop take 7.5 s
  through ``Out-File`` and 0.6 s into ``Out-Null`` (measured on this machine).
- **LogThroughput memory.** Every way stays flat: $('{0:0}' -f ($l.Growth.OutFile / 1024)) MB for ``-OutFile``, $('{0:0}' -f ($l.Growth.Raw / 1024)) MB for ``-Raw``, $('{0:0}' -f ($l.Growth.Objects / 1024)) MB for objects,
  because the cmdlets hand lines to the pipeline thread through a bounded channel (``PipelineCmdlet.EmitAsync``,
  1,024 objects): a reader faster than the pipeline waits instead of queueing the log in memory. ``-Raw`` is
  measured into ``Out-File`` rather than ``Set-Content`` because ``Set-Content`` keeps all its pipeline input
  until the end: a million 60-byte strings from a plain PowerShell loop, no PodManager involved, grow a pwsh by
  423 MB through ``Set-Content`` and by 5 MB through ``Out-File`` (measured on this machine).
"@)
}
if ($Notes.Contains('ImportTime')) {
    $i = $Notes.ImportTime
    $text.Add(@"
- **ImportTime.** A bare pwsh takes $(Ms $i.Bare) to start on this machine (the ``PowerShell`` dotnet tool);
  the import adds $(Ms $i.Delta): loading the manifest, PodManager.dll, PodManager.Model.dll and the format file.
  The engine and KubernetesClient are loaded into the module's load context only when a cmdlet first needs them.
"@)
}
if ($Notes.Contains('FirstPod')) {
    $fp = $Notes.FirstPod
    $text.Add(@"
- **FirstPod.** The goal cannot be met by a PowerShell module: kubectl is a native binary that runs the whole
  pod in $(Ms $fp.Kubectl), while pwsh itself needs about $(if ($Notes.Contains('ImportTime')) { Ms $Notes.ImportTime.Bare } else { 'a second' }) to start
  before any of our code runs. Inside the process the import takes $(Ms $fp.Import), the first ``Invoke-KPod``
  $(Ms $fp.First) and a second one $(Ms $fp.Second): the difference is one-time work in the first call. Measured
  in a plain C# program on KubernetesClient, no PowerShell (on this machine, unloaded): the first TLS connection
  and HttpClient set-up take about 180 ms, and the first JSON reading of a pod list about 240 to 320 ms, which is
  System.Text.Json building its metadata for the V1Pod type graph, not JIT: a ReadyToRun build of the engine and
  KubernetesClient (tried; 26 MB instead of 11) left the first Invoke-KPod where it was, so it is not in the
  module. Warming the JSON reader on another thread while the kubeconfig is read and TLS connects saved 60 ms
  of 680 on two cores, too little for the complication. What was ours went: reading the kubeconfig through
  KubernetesClient's ``KubernetesYaml`` cost about 450 ms (it maps every API model type first);
  ``KubeConfigReader`` reads it in about 110 ms. kubectl's figure is also
  flattered by the test cluster, which has no ``attach``: kubectl falls back to reading the log once as soon as
  the pod runs, which often comes before the ``echo`` (it printed the log in $($fp.KubectlPrinted) of $($fp.Pairs) runs), so it does less
  than PodManager, which follows the log to the end.
"@)
}
$text.Add(@'

## Changes made for these figures

- `Invoke-KPod` with the default `DeletePod` finish action (and `Remove-KPod -OnFinishAction DeletePod`) no longer reads the pod before
  deleting it: the read decided nothing (DeletePod deletes in every state, and a pod already gone is the
  delete's 404).
- A pod just created is taken from the create's response until the shared watch delivers it, and a log follow
  whose stream ended waits up to 0.3 s on the live watch for the container's end before it reads the pod.
  Together with the change above, FanOut went from 8 requests per pod (4 GETs of the pod) to 4.
- Cmdlet output is bounded: at most 1,024 objects wait for the pipeline thread (`PipelineCmdlet.EmitAsync`),
  so a log reader faster than the pipeline waits instead of holding the log in memory (`Get-KPodLog | Measure-Object`
  on a million lines grew a pwsh by 363 MB before, 11 MB after). `KPodLogLine` keeps its timestamp as
  nanoseconds and makes the text only when asked, which took that count from about 180,000 to over 200,000 lines/s.
- A fix to the same bridge: the pipeline thread now waits on the very task it drains for, so the last wake-up
  cannot be lost (`Invoke-KPod -ThrottleLimit 200` could hang at the end).
- Kubeconfigs are read by `KubeConfigReader` instead of KubernetesClient's `KubernetesYaml` (see FirstPod):
  about 450 ms less for the first cmdlet of every process.
'@)
$text -join "`n"
