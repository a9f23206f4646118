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
- The module measured is the one `build.ps1 -Task Build` stages, ReadyToRun code included (see FirstPod).
- Every scenario records the machine's 1-minute load average (`/proc/loadavg`) when it begins and ends, beside
  its figures in the table; above the core count the row says **loaded**. Other work on the machine then
  competes for the cores: such a figure compares with the other figures of its scenario (their ways alternate
  within it), not with another run's. A quick run (`-Quick`) warms up exactly as a full run does (a warm-up
  round on the cluster's side, a warm-up read in each measuring process), so a quick figure differs from the
  full one only by its smaller sample; the rows whose scenario it scales down (FanOut's 10 pods) say
  "not comparable", and it leaves FanOut1000 out.
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
- **FanOut1000** (full runs only): the same PodManager side with 200, 500 and 1,000 pods (`sleep 2; echo done`),
  each through one `Invoke-KPod -ThrottleLimit N -ShowLogs` in a fresh pwsh, and the floor with 1,000. Memory
  per 100 pods is (`VmHWM` after the call - `VmRSS` before it) / N x 100. The test cluster's CPU is its
  process's user and system time, its own and its reaped container processes', from `/proc/PID/stat` around
  the 1,000-pod call; its memory is its resident set after that call and its peak so far.
- **LogThroughput**: one finished pod that wrote the log with `seq` (1,000,000 lines of 61 bytes); each way
  reads all of it, once per round after a warm-up round. kubectl is `sh -c 'kubectl logs pod > file'` timed
  as a process (its own start, about 0.1 s, is included; PodManager's pwsh start is not). Each PodManager
  process first reads the log's last 100,000 lines the way it then measures (all of a quick run's log), again
  until a read is no longer 20% faster than the one before, so that compiling and tiering up (which a loaded
  machine delays by seconds) are paid before the clock starts. `-Raw` into `Out-File` is split in two further ways:
  `Get-KPodLog -Raw | Out-Null` (our strings without a sink), and `Out-File` given as many strings of the same
  length by a plain PowerShell loop, no PodManager involved (the sink without us).
- **ImportTime**: alternating `pwsh -NoProfile -NonInteractive -c exit` and `... -c 'Import-Module out/PodManager'`
  after one of each as warm-up; medians, then the difference.
- **FirstPod**: a fresh `pwsh -NoProfile -c "Import-Module ...; Invoke-KPod -Image alpine -Command sh -Argument '-c','echo hello from a pod' -ShowLogs -InformationAction Continue"`
  beside `kubectl run --rm -i --restart=Never ... -- sh -c 'echo hello from a pod'`, alternating, after a warm-up pair.
  The in-process figures time the import and two `Invoke-KPod` calls in one fresh pwsh (median of 3 processes), with
  the methods the JIT compiled during each call (`System.Runtime.JitInfo.GetCompiledMethodCount`).
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
  handing the KPod to the pipeline thread) is the difference, $(if ($p.Ours.P50 -ge $p.Floor.P50) { Ms ($p.Ours.P50 - $p.Floor.P50) } else { 'which this run cannot show: its floor, one more process on a loaded machine, was the slower' }). kubectl
  wait ($(Ms $p.Kubectl.P50)) has the same event to wait for, through its own watch per process. Airflow's
  2 s poll ($(Ms $p.Poll.P50), p95 $(Ms $p.Poll.P95)) is bounded by its interval: on average half of it, at worst all of it.
"@)
}
if ($Notes.Contains('FanOut')) {
    $f = $Notes.FanOut
    $text.Add(@"
- **FanOut wall time.** The test cluster sets the pace: it starts every container as real processes (about
  nine short-lived ones each, see docs/test-cluster.md, "Scale"), so 200 pods at once saturate both cores. The
  floor, which makes nothing but the requests, takes $(Ms (Get-Median $f.Floor.Ms)); PodManager takes $(Ms (Get-Median $f.Ours.Ms))$(if ((Get-Median $f.Ours.Ms) -lt (Get-Median $f.Floor.Ms)) { ' (less than the floor: on a loaded machine two runs differ by more than our part)' }), our part being:
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
  left only for when the watch is down or silent, which a figure above 4 would show.$(if ($f.OursRequests.PerPod -gt 4) { "
  In this run it is above 4: the GETs of pods are follows whose stream closed while the shared watch, behind
  on a loaded machine, had not yet reported the container's end within ``FollowEndGrace`` (0.3 s), so they
  asked the API; on an unloaded machine the figure is 4." })
- **Why the end-of-log check stays (4 requests, not 3).** A follow stream that ends cleanly does not say why it
  ended: the kubelet ends it after the container's last line, but a proxy, a load balancer or the test cluster's
  ``cutLogStreams`` fault ends one just as cleanly in the middle, and the container may end a moment later with
  lines the stream never carried. Nothing the client sees orders the two: the shared watch reports the
  container's end on another connection, so "the watch saw it end before the stream closed" can be true of a cut
  stream on a loaded machine, and a rule built on it loses lines (``LogResumeTests.AFollowThatIsCutJustBeforeTheContainerEndsStillGetsTheTail``
  cuts a stream cleanly 50 lines before the end). Only the log itself can say where it ends, so the one
  ``tailLines=1`` read stays: one request per pod buys exactly-once delivery.
"@)
}
if ($Notes.Contains('FanOut1000')) {
    $k = $Notes.FanOut1000
    $big = $k.Ours[$k.Count]
    $text.Add(@"
- **FanOut1000.** Nothing breaks at a thousand pods: every pod ran, every log arrived, every pod was deleted
  (the benchmark stops otherwise). One HTTP/2 connection carries at most the server's stream limit at once
  (1,000, kube-apiserver's default, which the test cluster keeps); KubernetesClient's handler opens another
  connection when that is reached (``EnableMultipleHttp2Connections``), so a thousand log follows, the creates
  and the deletes are not queued behind each other. The shared watch is one stream whatever the count. Memory grows with the pods in flight (each holds its run's
  state, its log follow's buffers and its progress record), $('{0:0.0}' -f ($big.PerHundredKB / 1024)) MB per 100 pods at a thousand.
  PodManager took $(Ms $big.Ms) against the floor's $(Ms $k.Floor.WallMs) ($('{0:0.00}' -f $k.Ratio)x). The test cluster for the PodManager run:
  $($k.Cluster). Both sides are bound by the same two cores, which the cluster's thousand
  containers (real processes) and the client share; the client's part is what the ratio above the floor shows.
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
  thread and through ``Measure-Object``; at most 1,024 of them wait for the pipeline at once, and the pipeline
  thread is woken once per batch of lines, not once per line (``PipelineCmdlet.EmitAllAsync``).
- **LogThroughput -Raw.** ``-Raw`` into a file runs at $('{0:0}' -f $l.Rate.Raw) MB/s. Its two parts, measured apart in the same
  run: our strings into ``Out-Null`` run at $('{0:0}' -f $l.Rate.RawNull) MB/s, and ``Out-File`` alone, given as many strings by a plain
  PowerShell loop, at $('{0:0}' -f $l.Rate.OutFileAlone) MB/s. The sink sets the rate: ``Out-File`` is a formatting cmdlet, and every
  string passes through PowerShell's formatter and its host-width line handling before it is written, which
  costs $('{0:0.0}' -f ($l.Rate.RawNull / $l.Rate.OutFileAlone))x what reading, splitting and handing over the line costs us. A million lines
  cannot go through it at kubectl's rate, whoever produces them. The same strings written by a ``foreach``
  statement to a ``[IO.StreamWriter]`` ran about 8 times faster than through ``Out-File`` (200,000 strings,
  measured on this machine; the cost left is PowerShell's own per object), and ``-OutFile``
  ($('{0:0}' -f $l.Rate.OutFile) MB/s), which makes no string at all, is the way to put a log in a file.
  ``-Raw`` is for lines a script inspects one by one, as ``Get-Content`` gives them.
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
- **FirstPod.** The fresh-process goal cannot be met by a PowerShell module: kubectl is a native binary that runs the whole
  pod in $(Ms $fp.Kubectl), while pwsh itself needs about $(if ($Notes.Contains('ImportTime')) { Ms $Notes.ImportTime.Bare } else { 'a second' }) to start
  before any of our code runs. Inside the process the import takes $(Ms $fp.Import), the first ``Invoke-KPod``
  $(Ms $fp.First) and a second one $(Ms $fp.Second): the difference is one-time work in the first call, and it is
  mostly JIT compilation: the first call compiled $('{0:0}' -f $fp.FirstJit) methods, the second $('{0:0}' -f $fp.SecondJit). What each idea bought,
  measured in fresh processes on this machine (loaded by other work: load average 11 to 30 on 2 cores, so
  CPU time of the process, which load inflates less than wall time, medians of 3 to 4 alternating runs;
  "first call" is the first API call of the process, a ``Get-KPod`` of a missing pod, which loads the engine,
  reads the kubeconfig and makes the TLS connection):
  - *Where the time goes, before any change*: the first call JIT-compiles about 2,700 methods (about 4,000
    with the first ``Invoke-KPod``'s own), 500 to 580 ms of CPU: reading the kubeconfig with YamlDotNet's
    deserializer about 890 methods and 135 to 195 ms (the YAML node tree alone, without mapping it to
    objects, 500 methods and about 100 ms, so a reader of our own would save at most 50 to 80 ms, not
    attempted); System.Text.Json's first pod list about 1,000 methods and 150 to 190 ms; the TLS connection and
    the first request 30 to 40 ms; the rest is the engine's, PowerShell's and the cmdlets' own first run.
  - *Source-generated JSON metadata* (a ``JsonSerializerContext`` for the pod, list, status, event and
    delete-options types, put in front of KubernetesClient's options): the first pod list went from 150 to
    190 ms of CPU to 145 to 170, and the first call from 518 ms (mean of 4) to 522: nothing. Without
    ReadyToRun its accessors are JIT-compiled methods instead of emitted ones (the count stayed at about
    1,000), and the generated code made the engine 740 KB larger. Dropped.
  - *ReadyToRun, compiled for .NET 8* (the engine's target framework; the earlier attempt): the methods
    compiled stayed at 4,100. .NET 10, which pwsh 7.6 runs on, ignores ReadyToRun code compiled for .NET 8,
    which is why that attempt measured nothing.
  - *ReadyToRun, compiled for the runtime pwsh runs on* (crossgen2 of .NET 10 over the same .NET 8
    assemblies; ``build.ps1``, ``Invoke-ReadyToRun``): the first call compiles about 1,250 methods instead of
    2,700 and takes 340 to 360 ms of CPU instead of 500 to 630; the first ``Invoke-KPod`` after it 90 ms
    instead of 130. Kept: the module is 27 MB instead of 12 (KubernetesClient's native code), and an
    assembly keeps its IL, so pwsh 7.4 on .NET 8 or another platform ignores the native code and runs as before.
  - *Concurrency* (warming the JSON reader on another thread while the kubeconfig is read and TLS connects,
    measured in the previous round): 60 ms of 680 on two cores, too little for the complication.
  - *Earlier*: reading the kubeconfig through KubernetesClient's ``KubernetesYaml`` cost about 450 ms (it
    maps every API model type first); ``KubeConfigReader`` reads it in about 110 ms.

  What is left is the JIT of generic code instantiated over our types (async state machines, System.Text.Json's
  converters for the model types: about 1,900 methods), which ReadyToRun code outside the framework cannot
  hold, and PowerShell's own first run of a binary cmdlet. kubectl's figure is also
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
- (Issue 17) A Release build compiles the staged assemblies with ReadyToRun for the runtime it runs on
  (`build.ps1`, `Invoke-ReadyToRun`): a fresh process's first cmdlet compiles about half as many methods
  (see FirstPod).
- (Issue 17) `Get-KPodLog` hands lines to the pipeline thread in batches (`PipelineCmdlet.EmitAllAsync`): the
  thread is woken when the reader is about to wait for the server, every 256 lines, when the output is full,
  and at the end, instead of once per line; `-Raw` into `Out-Null` of 300,000 lines ran about 20% faster in
  alternating runs on this machine (170,000 to 210,000 lines/s at a load average of 20).
- (Issue 17) The benchmark: load average with every scenario, loaded figures marked, quick runs warmed up as
  full ones, `-Raw` split into its two parts, and the FanOut1000 scenario.
'@)
$text -join "`n"
