using System.Globalization;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.Kubelet;

public sealed partial class FailureModeTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task AnImageThatDoesNotExistFailsToPullThenBacksOff()
    {
        var name = Pods.Unique("no-image");
        const string image = "example.com/team/does-not-exist:1.0";
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true", image: image), "default");

        var pulling = await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.ContainerStatuses?[0].State?.Waiting?.Reason == "ErrImagePull");
        var backingOff = await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.ContainerStatuses?[0].State?.Waiting?.Reason == "ImagePullBackOff");
        var events = await EventsAsync(name);

        Assert.Equal("Pending", backingOff.Status.Phase);
        Assert.Equal("rpc error: code = NotFound desc = failed to pull and unpack image \"example.com/team/does-not-exist:1.0\": failed to resolve reference \"example.com/team/does-not-exist:1.0\": example.com/team/does-not-exist:1.0: not found", pulling.Status.ContainerStatuses[0].State.Waiting.Message);
        Assert.Equal($"Back-off pulling image \"{image}\"", backingOff.Status.ContainerStatuses[0].State.Waiting.Message);
        Assert.Contains(events, e => e is { Reason: "Pulling", Type: "Normal" } && e.Message == $"Pulling image \"{image}\"");
        Assert.Contains(events, e => e is { Reason: "Failed", Type: "Warning" } && e.Message.StartsWith($"Failed to pull image \"{image}\": rpc error: code = NotFound", StringComparison.Ordinal));
        Assert.Contains(events, e => e is { Reason: "Failed", Type: "Warning", Message: "Error: ErrImagePull" });
        Assert.Contains(events, e => e is { Reason: "BackOff", Type: "Normal" } && e.Message == $"Back-off pulling image \"{image}\"");
        Assert.Contains(events, e => e is { Reason: "Failed", Type: "Warning", Message: "Error: ImagePullBackOff" });
    }

    [Fact]
    public async Task ARateLimitedImageFailsOnceWithATransientErrorThenPulls()
    {
        var name = Pods.Unique("rate");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "echo pulled", image: $"rate-limited/{name}:1"), "default");

        var done = await Waits.ForCompletionAsync(cluster.Client, "default", name);
        var events = await EventsAsync(name);

        Assert.Equal("Succeeded", done.Status.Phase);
        Assert.Contains(events, e => e.Reason == "Failed" && e.Message.Contains("toomanyrequests: rate limit exceeded", StringComparison.Ordinal));
        Assert.Equal(2, events.Single(e => e.Reason == "Pulling").Count);
        Assert.Contains(events, e => e.Reason == "Pulled" && e.Message.StartsWith("Successfully pulled image", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnInvalidReferenceIsInvalidImageName()
    {
        var name = Pods.Unique("bad-ref");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true", image: "Not A Valid:Ref"), "default");

        var pod = await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.ContainerStatuses?[0].State?.Waiting?.Reason == "InvalidImageName");

        Assert.Equal("Failed to apply default image tag \"Not A Valid:Ref\": couldn't parse image name \"Not A Valid:Ref\": invalid reference format", pod.Status.ContainerStatuses[0].State.Waiting.Message);
        Assert.Equal("Pending", pod.Status.Phase);
    }

    [Fact] // kubelet getPhase: waiting > 0 is Pending, whatever the other containers did (an XCom sidecar still pulling)
    public async Task APodStaysPendingWhileAContainerWaitsEvenAfterAnotherHasEnded()
    {
        var name = Pods.Unique("waiting");
        var pod = Pods.Shell(name, "echo done");
        pod.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "example.com/does-not-exist/alpine:1", Command = ["sleep", "infinity"] });
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var ended = await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == "base")?.State?.Terminated is not null);

        Assert.Equal("Pending", ended.Status.Phase);
        Assert.NotNull(ended.Status.ContainerStatuses.Single(c => c.Name == "sidecar").State.Waiting);
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", gracePeriodSeconds: 0);
    }

    [Fact]
    public async Task ASlowPullTakesTheConfiguredTime()
    {
        var name = Pods.Unique("slow");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true", image: $"registry.local/slow-pull/{name}:2"), "default");

        await Waits.ForCompletionAsync(cluster.Client, "default", name);
        var pulled = (await EventsAsync(name)).Single(e => e.Reason == "Pulled").Message;

        var match = PulledDuration().Match(pulled);
        var seconds = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) / (match.Groups[2].Value == "ms" ? 1000 : 1);

        // Timers may fire a hair early; the pull must still take about the configured second.
        Assert.True(seconds >= 0.9, pulled);
    }

    [Fact]
    public async Task EnvFromAMissingConfigMapIsCreateContainerConfigErrorUntilItExists()
    {
        var name = Pods.Unique("config");
        var configMap = Pods.Unique("settings");
        var pod = Pods.Shell(name, "echo $GREETING $PASSWORD");
        pod.Spec.Containers[0].Env =
        [
            new V1EnvVar { Name = "GREETING", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = configMap, Key = "greeting" } } },
            new V1EnvVar { Name = "PASSWORD", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = configMap, Key = "password" } } },
        ];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var waiting = await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.ContainerStatuses?[0].State?.Waiting?.Reason == "CreateContainerConfigError");
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = configMap }, Data = new Dictionary<string, string> { ["greeting"] = "hello" } }, "default");
        var missingKey = await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.ContainerStatuses?[0].State?.Waiting?.Message?.StartsWith("secret", StringComparison.Ordinal) == true);
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = configMap }, StringData = new Dictionary<string, string> { ["password"] = "s3cret" } }, "default");
        await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal($"configmap \"{configMap}\" not found", waiting.Status.ContainerStatuses[0].State.Waiting.Message);
        Assert.Equal($"secret \"{configMap}\" not found", missingKey.Status.ContainerStatuses[0].State.Waiting.Message);
        Assert.Equal("hello s3cret\n", await Waits.LogAsync(cluster.Client, "default", name));
        Assert.Contains(await EventsAsync(name), e => e is { Reason: "Failed", Type: "Warning" } && e.Message == $"Error: configmap \"{configMap}\" not found");
    }

    [Fact]
    public async Task ConfigMapsAndSecretsFeedEnvFromAndVolumes()
    {
        var name = Pods.Unique("projected");
        var settings = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = Pods.Unique("cm") }, Data = new Dictionary<string, string> { ["MODE"] = "fast", ["config.ini"] = "[main]\nx=1\n" } }, "default");
        var secret = await cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = Pods.Unique("secret") }, StringData = new Dictionary<string, string> { ["token"] = "abc" } }, "default");
        var pod = Pods.Shell(name, "echo $APP_MODE; cat /etc/app/config.ini; cat /etc/secret/token");
        pod.Spec.Volumes =
        [
            new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = settings.Metadata.Name } },
            new V1Volume { Name = "secret", Secret = new V1SecretVolumeSource { SecretName = secret.Metadata.Name } },
        ];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "config", MountPath = "/etc/app" }, new V1VolumeMount { Name = "secret", MountPath = "/etc/secret" }];
        pod.Spec.Containers[0].EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = settings.Metadata.Name }, Prefix = "APP_" }];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal("fast\n[main]\nx=1\nabc\n", await Waits.LogAsync(cluster.Client, "default", name));
        Assert.Equal("abc", System.Text.Encoding.UTF8.GetString((await cluster.Client.CoreV1.ReadNamespacedSecretAsync(secret.Metadata.Name, "default")).Data["token"]));
        await cluster.Client.CoreV1.DeleteNamespacedConfigMapAsync(settings.Metadata.Name, "default");
        await StatusAssert.ThrowsAsync(() => cluster.Client.CoreV1.ReadNamespacedConfigMapAsync(settings.Metadata.Name, "default"), 404, "NotFound");
    }

    private async Task<List<Corev1Event>> EventsAsync(string pod) =>
        [.. (await cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={pod}")).Items];

    [GeneratedRegex(@" in ([0-9.]+)(ms|s) \(")]
    private static partial Regex PulledDuration();
}
