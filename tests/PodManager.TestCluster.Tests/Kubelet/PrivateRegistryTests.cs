using System.Text;
using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.Kubelet;

/// <summary>The private registry: images under registry.private.test pull only with a pull secret that holds its
/// credentials; otherwise ErrImagePull with containerd's 401.</summary>
public sealed class PrivateRegistryTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task WithoutAPullSecretThePullIsUnauthorized()
    {
        var name = Pods.Unique("private");
        var image = $"registry.private.test/team/{name}:1.0";
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true", image: image), "default");

        var failed = await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.ContainerStatuses?[0].State?.Waiting?.Reason == "ErrImagePull");
        await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.ContainerStatuses?[0].State?.Waiting?.Reason == "ImagePullBackOff");
        var events = await EventsAsync(name);

        var expected = $"rpc error: code = Unknown desc = failed to pull and unpack image \"{image}\": failed to resolve reference \"{image}\": unexpected status from HEAD request to https://registry.private.test/v2/team/{name}/manifests/1.0: 401 Unauthorized";
        Assert.Equal(expected, failed.Status.ContainerStatuses[0].State.Waiting.Message);
        Assert.Contains(events, e => e is { Reason: "Failed", Type: "Warning" } && e.Message == $"Failed to pull image \"{image}\": {expected}");
        Assert.DoesNotContain(events, e => e.Reason == "FailedToRetrieveImagePullSecret");
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", gracePeriodSeconds: 0);
    }

    [Fact]
    public async Task ADockerConfigJsonSecretWithTheCredentialsPullsTheImage()
    {
        var name = Pods.Unique("private");
        var secret = await SecretAsync(TestClusterRegistry.DockerConfigJson());
        var pod = Pods.Shell(name, "echo pulled", image: $"registry.private.test/team/{name}:1.0");
        pod.Spec.ImagePullSecrets = [new V1LocalObjectReference { Name = secret }];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var done = await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal("Succeeded", done.Status.Phase);
        Assert.Equal("pulled\n", await Waits.LogAsync(cluster.Client, "default", name));
    }

    [Fact]
    public async Task WrongCredentialsAWrongTypeOrAnotherRegistryAreUnauthorized()
    {
        var wrongPassword = await SecretAsync(TestClusterRegistry.DockerConfigJson(password: "guess"));
        var opaque = await SecretAsync(TestClusterRegistry.DockerConfigJson(), type: "Opaque", key: ".dockerconfigjson");
        var otherRegistry = await SecretAsync(TestClusterRegistry.DockerConfigJson().Replace("registry.private.test", "registry.other.test", StringComparison.Ordinal));

        foreach (var secret in new[] { wrongPassword, opaque, otherRegistry })
        {
            var name = Pods.Unique("refused");
            var pod = Pods.Shell(name, "true", image: $"registry.private.test/{name}:1.0");
            pod.Spec.ImagePullSecrets = [new V1LocalObjectReference { Name = secret }];
            await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

            var failed = await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.ContainerStatuses?[0].State?.Waiting?.Reason == "ErrImagePull");

            Assert.EndsWith(": 401 Unauthorized", failed.Status.ContainerStatuses[0].State.Waiting.Message);
            await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", gracePeriodSeconds: 0);
        }
    }

    [Fact]
    public async Task TheLegacyDockercfgTypeAndAnAuthFieldWithASchemeAndPathAreAccepted()
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestClusterRegistry.Username}:{TestClusterRegistry.Password}"));
        var dockercfg = $$$"""{"https://registry.private.test/team":{"auth":"{{{auth}}}"}}""";
        var secret = await SecretAsync(dockercfg, type: "kubernetes.io/dockercfg", key: ".dockercfg");
        var name = Pods.Unique("dockercfg");
        var pod = Pods.Shell(name, "true", image: $"registry.private.test/team/{name}:1.0");
        pod.Spec.ImagePullSecrets = [new V1LocalObjectReference { Name = secret }];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        Assert.Equal("Succeeded", (await Waits.ForCompletionAsync(cluster.Client, "default", name)).Status.Phase);
    }

    [Fact]
    public async Task AMissingSecretIsReportedAndTheSecretCreatedLaterIsUsedOnTheNextPull()
    {
        var name = Pods.Unique("later");
        var secret = Pods.Unique("regcred");
        var pod = Pods.Shell(name, "echo pulled", image: $"registry.private.test/team/{name}:1.0");
        pod.Spec.ImagePullSecrets = [new V1LocalObjectReference { Name = secret }];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.ContainerStatuses?[0].State?.Waiting?.Reason == "ErrImagePull");
        var events = await EventsAsync(name);

        await SecretAsync(TestClusterRegistry.DockerConfigJson(), name: secret);

        Assert.Equal("Succeeded", (await Waits.ForCompletionAsync(cluster.Client, "default", name)).Status.Phase);
        Assert.Contains(events, e => e is { Reason: "FailedToRetrieveImagePullSecret", Type: "Warning" }
            && e.Message == $"Unable to retrieve some image pull secrets ({secret}); attempting to pull the image may not succeed.");
    }

    [Fact]
    public async Task AnImageOnTheNodeIsNotHandedToAPodWithoutTheCredentials()
    {
        var image = $"registry.private.test/team/{Pods.Unique("cached")}:1.0";
        var secret = await SecretAsync(TestClusterRegistry.DockerConfigJson());
        var first = Pods.Unique("first");
        var pod = Pods.Shell(first, "true", image: image);
        pod.Spec.ImagePullSecrets = [new V1LocalObjectReference { Name = secret }];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");
        await Waits.ForCompletionAsync(cluster.Client, "default", first);
        var second = Pods.Unique("second");

        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(second, "true", image: image), "default");
        var refused = await Waits.ForPodAsync(cluster.Client, "default", second, p => p.Status?.ContainerStatuses?[0].State?.Waiting?.Reason == "ErrImagePull");

        Assert.EndsWith(": 401 Unauthorized", refused.Status.ContainerStatuses[0].State.Waiting.Message);
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(second, "default", gracePeriodSeconds: 0);
    }

    private async Task<string> SecretAsync(string config, string type = "kubernetes.io/dockerconfigjson", string key = ".dockerconfigjson", string? name = null)
    {
        var secret = await cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = name ?? Pods.Unique("regcred") },
            Type = type,
            StringData = new Dictionary<string, string> { [key] = config },
        }, "default");
        return secret.Metadata.Name;
    }

    private async Task<List<Corev1Event>> EventsAsync(string pod) =>
        [.. (await cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={pod}")).Items];
}
