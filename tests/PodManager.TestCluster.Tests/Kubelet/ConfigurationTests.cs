using k8s;
using k8s.Models;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.Kubelet;

/// <summary>What the container sees of its configuration: environment from ConfigMaps and Secrets, its working
/// directory, and configMap, secret, downwardAPI, projected and emptyDir volumes.</summary>
public sealed class ConfigurationTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task EnvFromSecretsAndConfigMapsHoldTheRealValues()
    {
        var config = await ConfigMapAsync(new() { ["LEVEL"] = "debug", ["1st"] = "skipped", ["greeting"] = "hello" });
        var secret = await SecretAsync(new() { ["password"] = "s3cr=t", ["TOKEN"] = "abc" });
        var name = Pods.Unique("env");
        var pod = Pods.Shell(name, "echo \"$GREETING|$DB_PASSWORD|$APP_LEVEL|$S_TOKEN|${MISSING-unset}|${ABSENT-unset}|$COMPOSED\"");
        pod.Spec.Containers[0].EnvFrom =
        [
            new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = config }, Prefix = "APP_" },
            new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = secret }, Prefix = "S_" },
            new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "no-such-secret", Optional = true } },
            new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = config } },
        ];
        pod.Spec.Containers[0].Env =
        [
            new V1EnvVar { Name = "GREETING", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = config, Key = "greeting" } } },
            new V1EnvVar { Name = "DB_PASSWORD", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = "password" } } },
            new V1EnvVar { Name = "MISSING", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = "nope", Optional = true } } },
            new V1EnvVar { Name = "ABSENT", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "no-such-config", Key = "x", Optional = true } } },
            new V1EnvVar { Name = "COMPOSED", Value = "$(GREETING)-$(APP_LEVEL)" },
        ];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal("hello|s3cr=t|debug|abc|unset|unset|hello-debug\n", await Waits.LogAsync(cluster.Client, "default", name));
        var skipped = (await cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={name},reason=InvalidEnvironmentVariableNames")).Items;
        Assert.Equal($"Keys [1st] from the EnvFrom configMap default/{config} were skipped since they are considered invalid environment variable names.", Assert.Single(skipped).Message);
        Assert.Equal("Warning", skipped[0].Type);
    }

    [Fact]
    public async Task AMissingSecretKeyIsCreateContainerConfigError()
    {
        var secret = await SecretAsync(new() { ["user"] = "app" });
        var name = Pods.Unique("missing-key");
        var pod = Pods.Shell(name, "true");
        pod.Spec.Containers[0].Env = [new V1EnvVar { Name = "PASSWORD", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = "password" } } }];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var waiting = await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.ContainerStatuses?[0].State?.Waiting?.Reason == "CreateContainerConfigError");

        Assert.Equal($"couldn't find key password in Secret default/{secret}", waiting.Status.ContainerStatuses[0].State.Waiting.Message);
        Assert.Equal("Pending", waiting.Status.Phase);
        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(name, "default", gracePeriodSeconds: 0);
    }

    [Fact]
    public async Task TheProcessStartsInTheWorkingDirectory()
    {
        var name = Pods.Unique("workdir");
        var pod = Pods.Shell(name, "pwd");
        pod.Spec.Containers[0].WorkingDir = "/opt/podmanager-work/job";
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal("/opt/podmanager-work/job\n", await Waits.LogAsync(cluster.Client, "default", name));
        Assert.False(Directory.Exists("/opt/podmanager-work"));
    }

    [Fact]
    public async Task AWorkingDirectoryBelowAVolumeIsMadeInsideIt()
    {
        var name = Pods.Unique("workdir-tmp");
        var pod = Pods.Shell(name, "pwd; ls -d /tmp/job/work");
        pod.Spec.Containers[0].WorkingDir = "/tmp/job/work";
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal("/tmp/job/work\n/tmp/job/work\n", await Waits.LogAsync(cluster.Client, "default", name));
    }

    [Fact]
    public async Task ConfigMapAndSecretVolumesAreFilesWithTheirModes()
    {
        var config = await ConfigMapAsync(new() { ["app.ini"] = "[main]\nx=1\n", ["other"] = "o" }, new() { ["blob.bin"] = [0, 255, 10] });
        var binary = new byte[] { 0xff, 0xfe, 0x00, 0x41 };
        var secret = await SecretAsync(new() { ["token"] = "t0ken" }, binary);
        var name = Pods.Unique("files");
        var script = string.Join("; ", [
            "cd /etc/app; ls -A | tr '\\n' ' '; echo",
            "cat conf/settings.ini",
            "stat -L -c '%a' conf/settings.ini other",
            "od -An -tx1 blob.bin",
            "cd /etc/secret; ls | tr '\\n' ' '; echo",
            "cat token; echo",
            "od -An -tx1 raw",
            "stat -L -c '%a' token raw",
            "cat /etc/single/app.ini",
            "touch /etc/app/new 2>/dev/null || echo read-only",
        ]);
        var pod = Pods.Shell(name, script);
        pod.Spec.Volumes =
        [
            new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = config, Items = [new V1KeyToPath { Key = "app.ini", Path = "conf/settings.ini", Mode = 384 }, new V1KeyToPath { Key = "other", Path = "other" }, new V1KeyToPath { Key = "blob.bin", Path = "blob.bin" }] } },
            new V1Volume { Name = "secret", Secret = new V1SecretVolumeSource { SecretName = secret, DefaultMode = 256 } },
            new V1Volume { Name = "single", ConfigMap = new V1ConfigMapVolumeSource { Name = config } },
        ];
        pod.Spec.Containers[0].VolumeMounts =
        [
            new V1VolumeMount { Name = "config", MountPath = "/etc/app" },
            new V1VolumeMount { Name = "secret", MountPath = "/etc/secret" },
            new V1VolumeMount { Name = "single", MountPath = "/etc/single/app.ini", SubPath = "app.ini" },
        ];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var done = await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal("Succeeded", done.Status.Phase);
        Assert.Equal(420, done.Spec.Volumes.Single(v => v.Name == "single").ConfigMap.DefaultMode);
        var lines = (await Waits.LogAsync(cluster.Client, "default", name)).Split('\n');
        Assert.Matches(@"^\.\.2\d{3}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d{9} \.\.data blob\.bin conf other $", lines[0]);
        Assert.Equal(["[main]", "x=1", "600", "644", " 00 ff 0a"], lines[1..6]);
        Assert.Equal("raw token ", lines[6]);
        Assert.Equal("t0ken", lines[7]);
        Assert.Equal(" ff fe 00 41", lines[8]);
        Assert.Equal(["400", "400", "[main]", "x=1", "read-only"], lines[9..14]);
    }

    [Fact]
    public async Task DownwardApiAndProjectedVolumesCombineTheirSources()
    {
        var config = await ConfigMapAsync(new() { ["mode"] = "fast" });
        var secret = await SecretAsync(new() { ["key"] = "k3y" });
        var name = Pods.Unique("projected");
        var pod = Pods.Shell(name, "cat /etc/all/mode; echo; cat /etc/all/creds/key; echo; cat /etc/all/labels; echo; cat /etc/info/name; echo; cat /etc/info/cpu", labels: new Dictionary<string, string> { ["tier"] = "web", ["app"] = "demo" });
        pod.Spec.Containers[0].Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m") } };
        pod.Spec.Volumes =
        [
            new V1Volume
            {
                Name = "all",
                Projected = new V1ProjectedVolumeSource
                {
                    Sources =
                    [
                        new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = config } },
                        new V1VolumeProjection { Secret = new V1SecretProjection { Name = secret, Items = [new V1KeyToPath { Key = "key", Path = "creds/key" }] } },
                        new V1VolumeProjection { DownwardAPI = new V1DownwardAPIProjection { Items = [new V1DownwardAPIVolumeFile { Path = "labels", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.labels" } }] } },
                    ],
                },
            },
            new V1Volume
            {
                Name = "info",
                DownwardAPI = new V1DownwardAPIVolumeSource
                {
                    Items =
                    [
                        new V1DownwardAPIVolumeFile { Path = "name", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } },
                        new V1DownwardAPIVolumeFile { Path = "cpu", ResourceFieldRef = new V1ResourceFieldSelector { ContainerName = "base", Resource = "limits.cpu", Divisor = new ResourceQuantity("1m") } },
                    ],
                },
            },
        ];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "all", MountPath = "/etc/all" }, new V1VolumeMount { Name = "info", MountPath = "/etc/info" }];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal($"fast\nk3y\napp=\"demo\"\ntier=\"web\"\n{name}\n250\n", await Waits.LogAsync(cluster.Client, "default", name));
    }

    [Fact]
    public async Task AMissingKeyOfAVolumeIsAFailedMountUntilItExists()
    {
        var config = await ConfigMapAsync(new() { ["present"] = "p" });
        var name = Pods.Unique("missing-item");
        var pod = Pods.Shell(name, "cat /etc/app/later");
        pod.Spec.Volumes = [new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = config, Items = [new V1KeyToPath { Key = "later", Path = "later" }] } }];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "config", MountPath = "/etc/app" }];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var failedMount = await EventAsync(name, "FailedMount");
        await cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"later":"now there"}}""", V1Patch.PatchType.MergePatch), config, "default");
        await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal("MountVolume.SetUp failed for volume \"config\" : configmap references non-existent config key: later", failedMount.Message);
        Assert.Equal("now there\n", await Waits.LogAsync(cluster.Client, "default", name));
    }

    [Fact]
    public async Task AnEmptyDirIsSharedBetweenContainersAndHonoursReadOnlyMounts()
    {
        var name = Pods.Unique("shared");
        var pod = Pods.Shell(name, "echo hi > /shared/note; touch /shared/done");
        pod.Spec.Containers.Add(new V1Container
        {
            Name = "reader",
            Image = "alpine:3.19",
            Command = ["sh", "-c", "until [ -e /in/done ]; do sleep 0.1; done; cat /in/note; touch /in/x 2>/dev/null || echo read-only"],
            VolumeMounts = [new V1VolumeMount { Name = "scratch", MountPath = "/in", ReadOnlyProperty = true }],
        });
        pod.Spec.Volumes = [new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity("1Mi") } }];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "scratch", MountPath = "/shared" }];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var done = await Waits.ForCompletionAsync(cluster.Client, "default", name);

        Assert.Equal("Succeeded", done.Status.Phase);
        Assert.Equal("hi\nread-only\n", await Waits.LogAsync(cluster.Client, "default", name, "reader"));
    }

    [Fact]
    public async Task AnEmptyDirBeyondItsSizeLimitGetsThePodEvicted()
    {
        var name = Pods.Unique("too-big");
        var pod = Pods.Shell(name, "head -c 2097152 /dev/zero > /cache/fill; echo filled; sleep infinity");
        pod.Spec.Volumes = [new V1Volume { Name = "cache", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("1Mi") } }];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "cache", MountPath = "/cache" }];
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(pod, "default");

        var evicted = await Waits.ForPodAsync(cluster.Client, "default", name, p => p.Status?.Phase == "Failed" && p.Status.ContainerStatuses?[0].State?.Terminated is not null);

        const string message = "Usage of EmptyDir volume \"cache\" exceeds the limit \"1Mi\". ";
        Assert.Equal("Evicted", evicted.Status.Reason);
        Assert.Equal(message, evicted.Status.Message);
        Assert.Contains(evicted.Status.Conditions, c => c is { Type: "DisruptionTarget", Status: "True", Reason: "TerminationByKubelet" });
        Assert.Equal(message, (await EventAsync(name, "Evicted")).Message);
    }

    private async Task<Corev1Event> EventAsync(string pod, string reason)
    {
        using var cts = new CancellationTokenSource(Waits.Default);
        var selector = $"involvedObject.name={pod},reason={reason}";
        var list = await cluster.Client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: selector, cancellationToken: cts.Token);
        if (list.Items.FirstOrDefault() is { } existing)
        {
            return existing;
        }

        await foreach (var (_, item) in cluster.Client.CoreV1.WatchListNamespacedEventAsync("default", fieldSelector: selector, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
        {
            return item;
        }

        throw new InvalidOperationException($"No {reason} event for {pod}.");
    }

    private async Task<string> ConfigMapAsync(Dictionary<string, string> data, Dictionary<string, byte[]>? binary = null)
    {
        var name = Pods.Unique("cm");
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name }, Data = data, BinaryData = binary }, "default");
        return name;
    }

    private async Task<string> SecretAsync(Dictionary<string, string> stringData, byte[]? raw = null)
    {
        var name = Pods.Unique("secret");
        var secret = new V1Secret { Metadata = new V1ObjectMeta { Name = name }, StringData = stringData };
        if (raw is not null)
        {
            secret.Data = new Dictionary<string, byte[]> { ["raw"] = raw };
        }

        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(secret, "default");
        return name;
    }
}
