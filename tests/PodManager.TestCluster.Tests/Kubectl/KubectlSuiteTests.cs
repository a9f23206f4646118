using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.Kubectl;

/// <summary>The real kubectl against the test cluster, checking what it prints.</summary>
public sealed class KubectlSuiteTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly Infrastructure.Kubectl kubectl = new(cluster.Server.KubeConfigPath);

    public void Dispose() => kubectl.Dispose();

    [Fact]
    public async Task GetPodsPrintsTheDefaultWideYamlAndAllNamespacesViews()
    {
        var ns = Pods.Unique("other");
        await cluster.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        var running = Pods.Unique("running");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.LongRunning(running), ns);
        var failed = Pods.Unique("failed");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(failed, "exit 1"), ns);
        var pod = await Waits.ForRunningAsync(cluster.Client, ns, running);
        await Waits.ForCompletionAsync(cluster.Client, ns, failed);

        var table = await kubectl.OutputAsync("get", "pods", "-n", ns);
        var wide = await kubectl.OutputAsync("get", "pods", "-n", ns, "-o", "wide");
        var yaml = await kubectl.OutputAsync("get", "pod", running, "-n", ns, "-o", "yaml");
        var all = await kubectl.OutputAsync("get", "pods", "-A");
        var empty = await kubectl.RunAsync("get", "pods", "-n", "kube-public");

        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n", table);
        Assert.Matches($@"(?m)^{running}\s+1/1\s+Running\s+0\s+\d+s$", table);
        Assert.Matches($@"(?m)^{failed}\s+0/1\s+Error\s+0\s+\d+s$", table);
        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n", wide);
        Assert.Matches($@"(?m)^{running}\s+1/1\s+Running\s+0\s+\d+s\s+{pod.Status.PodIP.Replace(".", @"\.")}\s+testcluster-node\s+<none>\s+<none>$", wide);
        Assert.Contains("kind: Pod", yaml);
        Assert.Contains($"  name: {running}", yaml);
        Assert.Contains("  phase: Running", yaml);
        Assert.Matches(@"^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n", all);
        Assert.Matches($@"(?m)^{ns}\s+{running}\s+1/1\s+Running", all);
        Assert.Equal("No resources found in kube-public namespace.\n", empty.Error);
    }

    [Fact]
    public async Task CreateFromAFileValidatesOnTheServer()
    {
        var name = Pods.Unique("from-file");
        var file = Path.Combine(Path.GetTempPath(), $"{name}.yaml");
        await File.WriteAllTextAsync(file, $"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: {name}
            spec:
              restartPolicy: Never
              containers:
              - name: base
                image: alpine
                command: ["sh", "-c", "echo from a file"]
            """);
        var badFile = Path.Combine(Path.GetTempPath(), $"{name}-bad.yaml");
        await File.WriteAllTextAsync(badFile, (await File.ReadAllTextAsync(file)).Replace($"name: {name}", $"name: {name}-bad").Replace("restartPolicy: Never", "restartPolicy: Never\n  bogusField: 1"));
        try
        {
            var created = await kubectl.OutputAsync("create", "-f", file);
            var rejected = await kubectl.RunAsync("create", "-f", badFile);

            Assert.Equal($"pod/{name} created\n", created);
            Assert.NotEqual(0, rejected.ExitCode);
            Assert.Contains("strict decoding error: unknown field \"spec.bogusField\"", rejected.Error);
            await Waits.ForCompletionAsync(cluster.Client, "default", name);
            Assert.Equal("from a file\n", await kubectl.OutputAsync("logs", name));
        }
        finally
        {
            File.Delete(file);
            File.Delete(badFile);
        }
    }

    [Fact]
    public async Task LogsHonourTimestampsTailSinceTimeAndContainer()
    {
        // The numbers are written only once the clock has left the second "early" was stamped in, whatever the load.
        var name = Pods.Unique("logs");
        var pod = Pods.Shell(name, $"echo early; {Pods.AwaitRelease}; seq 1 5");
        pod.Spec.Containers.Add(new V1Container { Name = "helper", Image = "alpine", Command = ["sh", "-c", "echo from helper"] });
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        var next = await Waits.SecondAfterLogLineAsync(cluster.Client, "default", name, "base", "early");
        await Waits.ReleaseAsync(cluster.Client, "default", name);
        await Waits.ForCompletionAsync(cluster.Client, "default", name);

        var stamped = (await kubectl.OutputAsync("logs", name, "-c", "base", "--timestamps")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var tail = await kubectl.OutputAsync("logs", name, "-c", "base", "--tail=2");
        var since = await kubectl.OutputAsync("logs", name, "-c", "base", $"--since-time={next:yyyy-MM-dd'T'HH:mm:ss'Z'}");
        var helper = await kubectl.OutputAsync("logs", name, "-c", "helper");
        var defaulted = await kubectl.RunAsync("logs", name);

        Assert.Equal(6, stamped.Length);
        Assert.All(stamped, line => Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z ", line));
        Assert.Equal("4\n5\n", tail);
        Assert.Equal("1\n2\n3\n4\n5\n", since);
        Assert.Equal("from helper\n", helper);
        Assert.StartsWith($"Defaulted container \"base\" out of: base, helper", defaulted.Error);
        Assert.Equal("early\n1\n2\n3\n4\n5\n", defaulted.Output);
    }

    [Fact]
    public async Task LogsFollowEndsWithTheContainerAndPreviousShowsTheLastRun()
    {
        var name = Pods.Unique("follow");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "echo run; sleep 1; echo done; exit 1", restartPolicy: "OnFailure"), "default");
        await Waits.ForRunningAsync(cluster.Client, "default", name);

        var followed = await kubectl.OutputAsync("logs", "-f", name);
        await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.ContainerStatuses?[0].RestartCount >= 1);
        var previous = await kubectl.OutputAsync("logs", "-p", name);

        Assert.Equal("run\ndone\n", followed);
        Assert.Equal("run\ndone\n", previous);
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", new V1DeleteOptions { GracePeriodSeconds = 0 });
    }

    [Fact]
    public async Task ExecPrintsOutputPassesTheExitCodeAndReadsStdinFromAPipe()
    {
        var name = Pods.Unique("exec");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.LongRunning(name), "default");
        await Waits.ForRunningAsync(cluster.Client, "default", name);

        var output = await kubectl.OutputAsync("exec", name, "--", "sh", "-c", "echo inside $HOSTNAME");
        var failing = await kubectl.RunAsync("exec", name, "--", "sh", "-c", "echo partial; exit 3");
        var piped = await kubectl.RunAsync(["exec", "-i", name, "--", "cat"], "from a pipe\n");

        Assert.Equal($"inside {name}\n", output);
        Assert.Equal(3, failing.ExitCode);
        Assert.Equal("partial\n", failing.Output);
        Assert.Contains("command terminated with exit code 3", failing.Error);
        Assert.Equal(0, piped.ExitCode);
        Assert.Equal("from a pipe\n", piped.Output);
    }

    [Fact]
    public async Task DeleteWaitsForTheGracePeriodAndWaitForDeleteReturnsWhenGone()
    {
        var stubborn = Pods.Unique("stubborn");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Command(stubborn, "sleep", "3600"), "default");
        await Waits.ForRunningAsync(cluster.Client, "default", stubborn);
        using var cts = new CancellationTokenSource(Waits.Default);

        using var waitForDelete = kubectl.Stream("wait", "--for=delete", $"pod/{stubborn}", "--timeout=90s");
        var deleted = await kubectl.OutputAsync("delete", "pod", stubborn, "--grace-period=1");
        var waited = await waitForDelete.ReadUntilAsync(_ => true, cts.Token);

        Assert.Equal($"pod \"{stubborn}\" deleted\n", deleted);
        Assert.Equal($"pod/{stubborn} condition met", Assert.Single(waited));
        Assert.Equal(0, await waitForDelete.WaitForExitAsync(cts.Token));
        await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.ReadNamespacedPodAsync(stubborn, "default"), 404, "NotFound");
    }

    [Fact]
    public async Task WaitForConditionReady()
    {
        var name = Pods.Unique("ready");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.LongRunning(name), "default");

        var waited = await kubectl.OutputAsync("wait", "--for=condition=Ready", $"pod/{name}", "--timeout=90s");

        Assert.Equal($"pod/{name} condition met\n", waited);
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", new V1DeleteOptions { GracePeriodSeconds = 0 });
    }

    [Fact]
    public async Task GetEventsWithAFieldSelectorAndDescribePod()
    {
        var name = Pods.Unique("described");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true", image: "busybox:1.36.1"), "default");
        await Waits.ForCompletionAsync(cluster.Client, "default", name);

        var events = await kubectl.OutputAsync("get", "events", "--field-selector", $"involvedObject.name={name}");
        var described = await kubectl.OutputAsync("describe", "pod", name);

        Assert.Matches(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n", events);
        Assert.Matches($@"(?m)^\S+\s+Normal\s+Scheduled\s+pod/{name}\s+Successfully assigned default/{name} to testcluster-node$", events);
        Assert.Matches($@"(?m)^\S+\s+Normal\s+Pulling\s+pod/{name}\s+Pulling image ""busybox:1\.36\.1""$", events);
        Assert.Matches($@"(?m)^\S+\s+Normal\s+Started\s+pod/{name}\s+Started container base$", events);
        Assert.Matches($@"(?m)^Name:\s+{name}$", described);
        Assert.Matches(@"(?m)^Node:\s+testcluster-node/127\.0\.0\.1$", described);
        Assert.Matches(@"(?m)^Status:\s+Succeeded$", described);
        Assert.Matches(@"(?m)^\s+Reason:\s+Completed$", described);
        Assert.Matches(@"(?m)^\s+Exit Code:\s+0$", described);
        Assert.Matches(@"(?m)^\s+Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned", described);
        Assert.Matches(@"(?m)^\s+Normal\s+Started\s+\S+\s+kubelet\s+Started container base$", described);
    }

    [Fact]
    public async Task GetPodsWatchPrintsEachChange()
    {
        var label = Pods.Unique("watched");
        var name = Pods.Unique("watched");
        using var cts = new CancellationTokenSource(Waits.Default);
        using var watch = kubectl.Stream("get", "pods", "-w", "-l", $"test={label}");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, Pods.AwaitRelease, labels: new Dictionary<string, string> { ["test"] = label }), "default");

        var untilRunning = await watch.ReadUntilAsync(line => line.Contains("Running", StringComparison.Ordinal), cts.Token);
        await Waits.ReleaseAsync(cluster.Client, "default", name);
        var untilCompleted = await watch.ReadUntilAsync(line => line.Contains("Completed", StringComparison.Ordinal), cts.Token);

        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$", untilRunning[0]);
        Assert.Matches($@"^{name}\s+1/1\s+Running\s+0\s+\d+s$", untilRunning[^1]);
        var lines = untilCompleted;
        Assert.Matches($@"^{name}\s+0/1\s+Completed\s+0\s+\d+s$", lines[^1]);
    }
}

public sealed class SlowPullFixture : ClusterFixture
{
    protected override TestClusterOptions Options => base.Options with { SlowPullDuration = TimeSpan.FromMinutes(10) };
}

/// <summary>The STATUS column of <c>kubectl get pods</c> for the states a user meets.</summary>
public sealed class KubectlStatusColumnTests(SlowPullFixture cluster) : IClassFixture<SlowPullFixture>, IDisposable
{
    private readonly Infrastructure.Kubectl kubectl = new(cluster.Server.KubeConfigPath);

    public void Dispose() => kubectl.Dispose();

    [Fact]
    public async Task StatusShowsContainerCreatingPullErrorsInitAndTerminating()
    {
        var creating = Pods.Unique("creating");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(creating, "true", image: "example.com/slow-pull/app:1"), "default");
        var pullError = Pods.Unique("pull-error");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(pullError, "true", image: "example.com/does-not-exist:1"), "default");
        var init = Pods.Unique("init");
        var initPod = Pods.Shell(init, "true");
        initPod.Spec.InitContainers = [new V1Container { Name = "setup", Image = "alpine", Command = ["sleep", "3600"] }];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(initPod, "default");
        var terminating = Pods.Unique("terminating");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Command(terminating, "sleep", "3600"), "default");
        await Waits.ForRunningAsync(cluster.Client, "default", terminating);
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(terminating, "default", new V1DeleteOptions { GracePeriodSeconds = 600 });
        await Waits.ForPodAsync(cluster.Client, "default", pullError, p => p.Status?.ContainerStatuses?[0].State?.Waiting?.Reason is "ErrImagePull" or "ImagePullBackOff");
        await Waits.ForPodAsync(cluster.Client, "default", init, p => p.Status?.InitContainerStatuses?[0].State?.Running is not null);

        var table = await kubectl.OutputAsync("get", "pods");

        Assert.Matches($@"(?m)^{creating}\s+0/1\s+ContainerCreating\s", table);
        Assert.Matches($@"(?m)^{pullError}\s+0/1\s+(ErrImagePull|ImagePullBackOff)\s", table);
        Assert.Matches($@"(?m)^{init}\s+0/1\s+Init:0/1\s", table);
        Assert.Matches($@"(?m)^{terminating}\s+1/1\s+Terminating\s", table);
        foreach (var name in new[] { creating, pullError, init, terminating })
        {
            await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", new V1DeleteOptions { GracePeriodSeconds = 0 });
        }
    }
}
