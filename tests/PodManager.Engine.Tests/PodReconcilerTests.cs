using k8s.Models;
using PodManager.Engine.Pods;
using Xunit;

namespace PodManager.Engine.Tests;

/// <summary>Each row of the merge table (docs/engine.md, Templates): a template plus overrides, checked field by field.</summary>
public sealed class PodReconcilerTests
{
    private const string Template = """
        metadata:
          generateName: batch-
          labels: { team: data, tier: batch }
          annotations: { owner: data-platform }
        spec:
          restartPolicy: OnFailure
          priorityClassName: low
          nodeSelector: { pool: batch }
          tolerations:
          - { key: dedicated, operator: Equal, value: batch, effect: NoSchedule }
          imagePullSecrets: [ { name: regcred } ]
          initContainers:
          - name: fetch
            image: busybox
            command: [wget]
          containers:
          - name: proxy
            image: envoy
          - name: base
            image: alpine:3.20
            command: [sh, -c, 'echo template']
            env:
            - { name: STAGE, value: prod }
            - { name: LOG_FORMAT, value: json }
            envFrom:
            - configMapRef: { name: shared }
            ports: [ { containerPort: 8080, name: http } ]
            resources:
              requests: { cpu: 100m, memory: 64Mi }
              limits: { memory: 256Mi }
            volumeMounts: [ { name: scratch, mountPath: /scratch } ]
          volumes:
          - name: scratch
            emptyDir: {}
        """;

    private static V1Pod Build(PodBuildOptions options) => PodFactory.Build(options with { Template = Template }, "default");

    private static V1Container Base(V1Pod pod) => pod.Spec.Containers.Single(c => c.Name == "base");

    [Fact]
    public void ContainerSettingsGoToTheContainerNamedBaseNotTheFirst()
    {
        var pod = Build(new PodBuildOptions { Image = "python:3.12", Command = ["python"], Arguments = ["-m", "app"], WorkingDirectory = "/app" });
        Assert.Equal(["proxy", "base"], pod.Spec.Containers.Select(c => c.Name));
        Assert.Equal("envoy", pod.Spec.Containers[0].Image);
        Assert.Null(pod.Spec.Containers[0].Command);
        Assert.Equal("python:3.12", Base(pod).Image);
        Assert.Equal(["python"], Base(pod).Command);
        Assert.Equal(["-m", "app"], Base(pod).Args);
        Assert.Equal("/app", Base(pod).WorkingDir);
    }

    [Fact]
    public void WithoutABaseContainerTheFirstReceivesTheSettings()
    {
        var template = "spec:\n  containers:\n  - name: main\n    image: alpine\n  - name: other\n    image: busybox\n";
        var pod = PodFactory.Build(new PodBuildOptions { Template = template, Command = ["true"] }, "default");
        Assert.Equal(["main", "other"], pod.Spec.Containers.Select(c => c.Name));
        Assert.Equal(["true"], pod.Spec.Containers[0].Command);
        Assert.Null(pod.Spec.Containers[1].Command);
    }

    [Fact]
    public void WithoutAnImageTheTemplatesIsKept() =>
        Assert.Equal("alpine:3.20", Base(Build(new PodBuildOptions { Command = ["true"] })).Image);

    [Fact]
    public void EnvMergesByNameAndNewVariablesFollowTheTemplates()
    {
        var pod = Build(new PodBuildOptions
        {
            Environment = new Dictionary<string, string> { ["STAGE"] = "dev", ["TASK"] = "orders" },
            SecretEnvironment = new Dictionary<string, string> { ["LOG_FORMAT"] = "logging/format" },
        });
        var env = Base(pod).Env;
        Assert.Equal(["STAGE", "LOG_FORMAT", "TASK"], env.Select(e => e.Name));
        Assert.Equal("dev", env[0].Value);
        Assert.Null(env[1].Value);
        Assert.Equal("logging", env[1].ValueFrom.SecretKeyRef.Name);
        Assert.Equal("orders", env[2].Value);
    }

    [Fact]
    public void VolumesMergeByNameAndMountsByMountPath()
    {
        var pod = Build(new PodBuildOptions
        {
            Volumes =
            [
                new KPodVolume { Name = "scratch", EmptyDir = true, Medium = "Memory", MountPath = "/scratch", ReadOnly = true },
                new KPodVolume { Name = "config", ConfigMap = "app", MountPath = "/etc/app" },
            ],
        });
        Assert.Equal(["scratch", "config"], pod.Spec.Volumes.Select(v => v.Name));
        Assert.Equal("Memory", pod.Spec.Volumes[0].EmptyDir.Medium);
        Assert.Equal(["/scratch", "/etc/app"], Base(pod).VolumeMounts.Select(m => m.MountPath));
        Assert.True(Base(pod).VolumeMounts[0].ReadOnlyProperty);
    }

    [Fact]
    public void ImagePullSecretsMergeByName() =>
        Assert.Equal(["regcred", "mirror"], Build(new PodBuildOptions { ImagePullSecrets = ["regcred", "mirror"] }).Spec.ImagePullSecrets.Select(s => s.Name));

    [Fact]
    public void ContainersMergeByNameFieldByField()
    {
        var pod = Build(new PodBuildOptions { InitContainers = ["""{ "name": "fetch", "args": ["-q"] }"""], Sidecars = ["""{ "name": "logger", "command": ["tail"] }"""] });
        Assert.Equal(["proxy", "base"], pod.Spec.Containers.Select(c => c.Name));
        Assert.Equal(["fetch", "logger"], pod.Spec.InitContainers.Select(c => c.Name));
        var fetch = pod.Spec.InitContainers[0];
        Assert.Equal("busybox", fetch.Image);
        Assert.Equal(["wget"], fetch.Command);
        Assert.Equal(["-q"], fetch.Args);
        Assert.Equal("alpine:3.20", pod.Spec.InitContainers[1].Image);
        Assert.Equal("Always", pod.Spec.InitContainers[1].RestartPolicy);
    }

    [Fact]
    public void PortsMergeByContainerPort()
    {
        var template = "spec:\n  containers:\n  - name: base\n    image: alpine\n    ports: [ { containerPort: 8080, name: http }, { containerPort: 9090 } ]\n";
        var overrides = """{ "spec": { "containers": [ { "name": "base", "ports": [ { "containerPort": 8080, "name": "web" }, { "containerPort": 7070 } ] } ] } }""";
        var pod = PodReconciler.Reconcile(PodManifest.Parse(template, "template"), PodManifest.Parse(overrides));
        var ports = pod.Spec.Containers[0].Ports;
        Assert.Equal([8080, 9090, 7070], ports.Select(p => p.ContainerPort));
        Assert.Equal("web", ports[0].Name);
    }

    [Fact]
    public void TolerationsAndEnvFromAreAddedToTheTemplatesOnce()
    {
        var pod = Build(new PodBuildOptions { Tolerations = ["dedicated=batch:NoSchedule", "gpu:NoSchedule"], EnvironmentFrom = ["configmap/shared", "secret/app"] });
        Assert.Equal(["dedicated", "gpu"], pod.Spec.Tolerations.Select(t => t.Key));
        Assert.Equal(["shared", "app"], Base(pod).EnvFrom.Select(e => e.ConfigMapRef?.Name ?? e.SecretRef.Name));
    }

    [Fact]
    public void MapsMergeKeyByKey()
    {
        var pod = Build(new PodBuildOptions
        {
            Labels = new Dictionary<string, string> { ["tier"] = "etl", ["task"] = "orders" },
            Annotations = new Dictionary<string, string> { ["run"] = "42" },
            NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd" },
            CpuRequest = "250m",
            Resources = new Dictionary<string, string> { ["nvidia.com/gpu"] = "1" },
        });
        Assert.Equal("data", pod.Metadata.Labels["team"]);
        Assert.Equal("etl", pod.Metadata.Labels["tier"]);
        Assert.Equal("orders", pod.Metadata.Labels["task"]);
        Assert.Equal("PodManager", pod.Metadata.Labels["app.kubernetes.io/managed-by"]);
        Assert.Equal(["owner", "run"], pod.Metadata.Annotations.Keys.Order());
        Assert.Equal(new Dictionary<string, string> { ["pool"] = "batch", ["disk"] = "ssd" }, pod.Spec.NodeSelector);
        var resources = Base(pod).Resources;
        Assert.Equal("250m", resources.Requests["cpu"].ToString());
        Assert.Equal("64Mi", resources.Requests["memory"].ToString());
        Assert.Equal("1", resources.Requests["nvidia.com/gpu"].ToString());
        Assert.Equal("256Mi", resources.Limits["memory"].ToString());
    }

    [Fact]
    public void ScalarsAndOtherListsAreReplaced()
    {
        var pod = Build(new PodBuildOptions { Command = ["echo"], RestartPolicy = "Never", PriorityClass = "high", ActiveDeadline = TimeSpan.FromSeconds(90.2) });
        Assert.Equal(["echo"], Base(pod).Command);
        Assert.Equal("Never", pod.Spec.RestartPolicy);
        Assert.Equal("high", pod.Spec.PriorityClassName);
        Assert.Equal(91, pod.Spec.ActiveDeadlineSeconds);
    }

    [Fact]
    public void TheTemplatesNameAndRestartPolicyAreKeptUnlessGiven()
    {
        var kept = Build(new PodBuildOptions());
        Assert.Equal("batch-", kept.Metadata.GenerateName);
        Assert.Null(kept.Metadata.Name);
        Assert.Equal("OnFailure", kept.Spec.RestartPolicy);

        var named = Build(new PodBuildOptions { Name = "orders-1" });
        Assert.Equal("orders-1", named.Metadata.Name);
        Assert.Null(named.Metadata.GenerateName);
    }

    [Fact]
    public void ATemplateWithoutANameNamesThePodAfterTheImageItRuns() =>
        Assert.StartsWith("python-", PodFactory.Build(new PodBuildOptions { Template = "spec:\n  containers:\n  - name: base\n    image: alpine\n", Image = "python:3.12" }, "default").Metadata.Name, StringComparison.Ordinal);

    [Fact]
    public void ATemplateWithoutARestartPolicyRunsOnce() =>
        Assert.Equal("Never", PodFactory.Build(new PodBuildOptions { Template = "spec:\n  containers:\n  - name: base\n    image: alpine\n" }, "default").Spec.RestartPolicy);

    [Fact]
    public void TheXComSidecarMountsItsVolumeInTheTemplatesBaseContainer()
    {
        var pod = XCom.XComSidecar.Add(Build(new PodBuildOptions()), "alpine:3.22", new V1ResourceRequirements());
        Assert.Equal("/airflow/xcom", Base(pod).VolumeMounts[0].MountPath);
        Assert.Null(pod.Spec.Containers[0].VolumeMounts);
        Assert.Equal(["proxy", "base", "airflow-xcom-sidecar"], pod.Spec.Containers.Select(c => c.Name));
        Assert.Equal(["xcom", "scratch"], pod.Spec.Volumes.Select(v => v.Name));
    }

    [Fact]
    public void ATemplateIsCheckedAsStrictlyAsAManifest()
    {
        var error = Assert.Throws<PodManagerException>(() => PodFactory.Build(new PodBuildOptions { Template = "spec:\n  containers:\n  - name: base\n    image: alpine\n    comand: [x]\n" }, "default"));
        Assert.Equal(ErrorIds.InvalidManifest.Name, error.ErrorId);
        Assert.Contains("template", error.Message, StringComparison.Ordinal);
        Assert.Contains("spec.containers[0].comand", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutATemplateAnImageIsRequired() =>
        Assert.Equal(ErrorIds.InvalidParameterValue.Name, Assert.Throws<PodManagerException>(() => PodFactory.Build(new PodBuildOptions(), "default")).ErrorId);
}
