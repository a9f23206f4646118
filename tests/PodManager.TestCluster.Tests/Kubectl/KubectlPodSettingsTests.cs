using k8s;
using PodManager.TestCluster.Tests.Infrastructure;
using PodManager.TestCluster.Tests.Scheduler;

namespace PodManager.TestCluster.Tests.Kubectl;

/// <summary>What kubectl shows of pods that use configuration, volumes, claims and scheduling constraints, and of
/// server-side dry runs.</summary>
public sealed class KubectlPodSettingsTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly Infrastructure.Kubectl kubectl = new(cluster.Server.KubeConfigPath);
    private readonly List<string> manifests = [];

    public void Dispose()
    {
        kubectl.Dispose();
        manifests.ForEach(File.Delete);
    }

    [Fact]
    public async Task DescribePodShowsEnvFromVolumesClaimsTolerationsAndNodeSelectors()
    {
        var name = Pods.Unique("settings");
        var file = await ManifestAsync(name, $"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {name}-config
            data:
              LEVEL: debug
              app.ini: "x=1"
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: {name}-secrets
            stringData:
              password: s3cret
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: {name}-work
            spec:
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: 1Gi
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: {name}
            spec:
              restartPolicy: Never
              nodeSelector:
                kubernetes.io/os: linux
              tolerations:
              - key: dedicated
                operator: Equal
                value: gpu
                effect: NoSchedule
              containers:
              - name: base
                image: alpine:3.19
                command: ["sh", "-c", "echo $LEVEL $DB_PASSWORD $S_password; cat /etc/app/app.ini; echo; echo stored > /work/out"]
                envFrom:
                - configMapRef:
                    name: {name}-config
                - secretRef:
                    name: {name}-secrets
                  prefix: S_
                env:
                - name: DB_PASSWORD
                  valueFrom:
                    secretKeyRef:
                      name: {name}-secrets
                      key: password
                volumeMounts:
                - name: config
                  mountPath: /etc/app
                - name: work
                  mountPath: /work
                - name: scratch
                  mountPath: /scratch
              volumes:
              - name: config
                configMap:
                  name: {name}-config
              - name: work
                persistentVolumeClaim:
                  claimName: {name}-work
              - name: scratch
                emptyDir:
                  medium: Memory
                  sizeLimit: 64Mi
            """);

        await kubectl.OutputAsync("apply", "-f", file);
        await Waits.ForCompletionAsync(cluster.Client, "default", name);
        var described = await kubectl.OutputAsync("describe", "pod", name);
        var claims = await kubectl.OutputAsync("get", "pvc", $"{name}-work");
        var logs = await kubectl.OutputAsync("logs", name);

        Assert.Equal("debug s3cret s3cret\nx=1\n", logs);
        Assert.Matches($@"(?m)^\s+Environment Variables from:\n\s+{name}-config\s+ConfigMap\s+Optional: false\n\s+{name}-secrets\s+Secret with prefix 'S_'\s+Optional: false$", described);
        Assert.Matches($@"(?m)^\s+DB_PASSWORD:\s+<set to the key 'password' in secret '{name}-secrets'>\s+Optional: false$", described);
        Assert.Matches(@"(?m)^\s+/etc/app from config \(rw\)$", described);
        Assert.Matches(@"(?m)^\s+Type:\s+ConfigMap \(a volume populated by a ConfigMap\)$", described);
        Assert.Matches($@"(?m)^\s+Type:\s+PersistentVolumeClaim \(a reference to a PersistentVolumeClaim in the same namespace\)\n\s+ClaimName:\s+{name}-work$", described);
        Assert.Matches(@"(?m)^\s+Medium:\s+Memory\n\s+SizeLimit:\s+64Mi$", described);
        Assert.Matches(@"(?m)^Node-Selectors:\s+kubernetes\.io/os=linux$", described);
        Assert.Matches(@"(?m)^Tolerations:\s+dedicated=gpu:NoSchedule\n\s+node\.kubernetes\.io/not-ready:NoExecute op=Exists for 300s\n\s+node\.kubernetes\.io/unreachable:NoExecute op=Exists for 300s$", described);
        Assert.Matches(@"^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE\n", claims);
        Assert.Matches($@"(?m)^{name}-work\s+Bound\s+pvc-[0-9a-f-]{{36}}\s+1Gi\s+RWO\s+<unset>\s+\d+s$", claims);
    }

    [Fact]
    public async Task ServerDryRunPrintsThePodAsItWouldBeStoredAndCreatesNothing()
    {
        var name = Pods.Unique("dry");
        var file = await ManifestAsync(name, $"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: {name}
            spec:
              containers:
              - name: base
                image: alpine:3.19
                command: ["sh", "-c", "echo ran > /tmp/{name}"]
            """);
        var unknownClass = await ManifestAsync(name + "-class", $"""
            apiVersion: v1
            kind: Pod
            metadata:
              generateName: {name}-
            spec:
              priorityClassName: gold
              containers:
              - name: base
                image: alpine:3.19
            """);

        var yaml = await kubectl.OutputAsync("create", "-f", file, "--dry-run=server", "-o", "yaml");
        var missing = await kubectl.RunAsync("get", "pod", name);
        var forbidden = await kubectl.RunAsync("create", "-f", unknownClass, "--dry-run=server");

        Assert.Matches(@"(?m)^  uid: [0-9a-f-]{36}$", yaml);
        Assert.Matches(@"(?m)^  creationTimestamp: ""\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ""$", yaml);
        Assert.DoesNotContain("resourceVersion", yaml);
        Assert.Contains("  restartPolicy: Always\n", yaml);
        Assert.Contains("  serviceAccountName: default\n", yaml);
        Assert.Contains("    imagePullPolicy: IfNotPresent\n", yaml);
        Assert.Contains("  phase: Pending\n", yaml);
        Assert.DoesNotContain("nodeName", yaml);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Equal($"Error from server (NotFound): pods \"{name}\" not found\n", missing.Error);
        Assert.NotEqual(0, forbidden.ExitCode);
        Assert.Contains($"pods \"{name}-\" is forbidden: no PriorityClass with name gold was found", forbidden.Error);
    }

    private async Task<string> ManifestAsync(string name, string yaml)
    {
        var file = Path.Combine(Path.GetTempPath(), $"{name}.yaml");
        manifests.Add(file);
        await File.WriteAllTextAsync(file, yaml);
        return file;
    }
}

/// <summary>kubectl against a node started with labels, taints and an extended resource.</summary>
public sealed class KubectlNodeTests(ConfiguredNodeFixture cluster) : IClassFixture<ConfiguredNodeFixture>, IDisposable
{
    private readonly Infrastructure.Kubectl kubectl = new(cluster.Server.KubeConfigPath);

    public void Dispose() => kubectl.Dispose();

    [Fact]
    public async Task DescribeNodeShowsTheLabelsTaintsAndExtendedResourcesAndTaintChangesThem()
    {
        var described = await kubectl.OutputAsync("describe", "node", "testcluster-node");
        var tainted = await kubectl.OutputAsync("taint", "node", "testcluster-node", "maintenance=soon:NoExecute");
        var taints = await kubectl.OutputAsync("get", "node", "testcluster-node", "-o", "jsonpath={.spec.taints[*].key}");
        await kubectl.OutputAsync("taint", "node", "testcluster-node", "maintenance-");

        Assert.Matches(@"(?m)^Labels:\s+disktype=ssd$", described);
        Assert.Matches(@"(?m)^Taints:\s+dedicated=gpu:NoSchedule\n\s+spot:PreferNoSchedule$", described);
        Assert.Matches(@"(?m)^Capacity:\n(\s+\S+:\s+\S+\n)*\s+nvidia\.com/gpu:\s+2$", described);
        Assert.Equal("node/testcluster-node tainted\n", tainted);
        Assert.Equal("maintenance dedicated spot", taints);
        Assert.DoesNotContain("maintenance", (await cluster.Client.CoreV1.ReadNodeAsync("testcluster-node")).Spec.Taints.Select(t => t.Key));
    }

    [Fact]
    public async Task DescribePodShowsTheSchedulersReason()
    {
        var name = Pods.Unique("untolerated");
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(Pods.Shell(name, "true"), "default");
        await Waits.ForUnschedulableAsync(cluster.Client, "default", name);

        var described = await kubectl.OutputAsync("describe", "pod", name);
        var table = await kubectl.OutputAsync("get", "pod", name);

        Assert.Matches(@"(?m)^\s+Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+0/1 nodes are available: 1 node\(s\) had untolerated taint \{dedicated: gpu\}\. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling\.$", described);
        Assert.Matches($@"(?m)^{name}\s+0/1\s+Pending\s+0\s+\d+s$", table);
    }
}
