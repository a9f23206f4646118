using System.Globalization;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.ApiServer;

public sealed partial class LogTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task TimestampsHaveNineFractionalDigitsAndIncrease()
    {
        var name = await CompletedPodAsync("seq 1 5");

        var lines = await ReadLinesAsync($"/api/v1/namespaces/default/pods/{name}/log?timestamps=true");

        Assert.Equal(5, lines.Count);
        Assert.All(lines, line => Assert.Matches(TimestampedLine(), line));
        var stamps = lines.Select(l => l[..30]).ToList();
        Assert.Equal(stamps.Order(StringComparer.Ordinal), stamps);
        Assert.Equal(["1", "2", "3", "4", "5"], lines.Select(l => l[31..]));
    }

    [Fact]
    public async Task TailLinesAndLimitBytes()
    {
        var name = await CompletedPodAsync("seq 1 10");

        Assert.Equal(["8", "9", "10"], await ReadLinesAsync($"/api/v1/namespaces/default/pods/{name}/log?tailLines=3"));
        Assert.Empty(await ReadLinesAsync($"/api/v1/namespaces/default/pods/{name}/log?tailLines=0"));
        Assert.Equal("1\n2\n3", await ReadTextAsync($"/api/v1/namespaces/default/pods/{name}/log?limitBytes=5"));
    }

    [Fact]
    public async Task SinceTimeAsKubectlSendsItSkipsOlderLines()
    {
        // "late" is written only once the clock has left the second "early" was stamped in, whatever the load.
        var name = Pods.Unique("since");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, $"echo early; {Pods.AwaitRelease}; echo late"), "default");
        var next = await Waits.SecondAfterLogLineAsync(cluster.Client, "default", name, "base", "early");
        await Waits.ReleaseAsync(cluster.Client, "default", name);
        await Waits.ForCompletionAsync(cluster.Client, "default", name);
        var sinceTime = next.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        var since = await ReadLinesAsync($"/api/v1/namespaces/default/pods/{name}/log?sinceTime={Uri.EscapeDataString(sinceTime)}");

        Assert.Equal(["late"], since);
    }

    [Fact]
    public async Task ASinceTimeFractionIsDroppedAsOnARealCluster()
    {
        var name = await CompletedPodAsync("seq 1 3");
        var lines = await ReadLinesAsync($"/api/v1/namespaces/default/pods/{name}/log?timestamps=true");
        var last = lines[^1][..30];

        var since = await ReadLinesAsync($"/api/v1/namespaces/default/pods/{name}/log?sinceTime={Uri.EscapeDataString(last)}");

        Assert.Contains("3", since);
        Assert.Equal(lines.Count(l => l[..19] == last[..19]), since.Count);
    }

    [Fact]
    public async Task FollowStreamsLinesAsTheyAreWrittenAndEndsWithTheContainer()
    {
        var name = Pods.Unique("follow");
        var pod = Pods.Shell(name, $"echo first; {Pods.AwaitRelease}; echo second");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        await Waits.ForRunningAsync(cluster.Client, "default", name);
        using var cts = new CancellationTokenSource(Waits.Default);

        await using var stream = await cluster.Client.CoreV1.ReadNamespacedPodLogAsync(name, "default", follow: true, cancellationToken: cts.Token);
        using var reader = new StreamReader(stream);
        var first = await reader.ReadLineAsync(cts.Token);
        await Waits.ReleaseAsync(cluster.Client, "default", name);
        var second = await reader.ReadLineAsync(cts.Token);
        var end = await reader.ReadLineAsync(cts.Token);

        Assert.Equal("first", first);
        Assert.Equal("second", second);
        Assert.Null(end);
    }

    [Fact]
    public async Task LogsOfAContainerThatHasNotStartedAre400()
    {
        var name = Pods.Unique("waiting");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true", image: "registry.example/does-not-exist:1"), "default");
        await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.ContainerStatuses?[0].State?.Waiting?.Reason is "ErrImagePull" or "ImagePullBackOff");

        var status = await StatusAssert.ThrowsAsync(() => Waits.LogAsync(cluster.Client, "default", name), 400, "BadRequest");

        Assert.Matches($"^container \"base\" in pod \"{name}\" is waiting to start: (image can't be pulled|trying and failing to pull image)$", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ContainerChoiceErrorsComeFromTheApiServer()
    {
        var name = Pods.Unique("two");
        var pod = Pods.Shell(name, "true");
        pod.Spec.Containers.Add(new V1Container { Name = "second", Image = "alpine", Command = ["true"] });
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var unspecified = await StatusAssert.ThrowsAsync(() => Waits.LogAsync(cluster.Client, "default", name), 400, "BadRequest");
        var invalid = await StatusAssert.ThrowsAsync(() => Waits.LogAsync(cluster.Client, "default", name, container: "third"), 400, "BadRequest");

        Assert.Equal($"a container name must be specified for pod {name}, choose one of: [base second]", unspecified.GetProperty("message").GetString());
        Assert.Equal($"container third is not valid for pod {name}", invalid.GetProperty("message").GetString());
    }

    [Fact]
    public async Task PreviousWithoutARestartIs400()
    {
        var name = await CompletedPodAsync("echo once");

        var status = await StatusAssert.ThrowsAsync(() => Waits.LogAsync(cluster.Client, "default", name, previous: true), 400, "BadRequest");

        Assert.Equal($"previous terminated container \"base\" in pod \"{name}\" not found", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task InvalidOptionsAre422()
    {
        var name = await CompletedPodAsync("echo once");
        using var http = cluster.Http();

        using var response = await http.GetAsync($"/api/v1/namespaces/default/pods/{name}/log?tailLines=-1");
        var status = await StatusAssert.ResponseAsync(response, 422, "Invalid");

        Assert.Equal($"PodLogOptions \"{name}\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0", status.GetProperty("message").GetString());
    }

    [Fact]
    public async Task LogsAreTextPlain()
    {
        var name = await CompletedPodAsync("echo text");
        using var http = cluster.Http();

        using var response = await http.GetAsync($"/api/v1/namespaces/default/pods/{name}/log");

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("text\n", await response.Content.ReadAsStringAsync());
    }

    private async Task<string> CompletedPodAsync(string script)
    {
        var name = Pods.Unique("log");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, script), "default");
        await Waits.ForCompletionAsync(cluster.Client, "default", name);
        return name;
    }

    private async Task<string> ReadTextAsync(string path)
    {
        using var http = cluster.Http();
        using var response = await http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<List<string>> ReadLinesAsync(string path) =>
        (await ReadTextAsync(path)).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z \d+$")]
    private static partial Regex TimestampedLine();
}
