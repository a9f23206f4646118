using k8s.Models;
using PodManager.TestCluster.ApiServer.Admission;
using PodManager.TestCluster.ApiServer.Printers;
using PodManager.TestCluster.ApiServer.Selectors;
using PodManager.TestCluster.ApiServer.Validation;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Registry.Pods;

/// <summary>Pods: validation, server defaults, graceful deletion, and the log, exec and eviction subresources.</summary>
internal sealed class PodStrategy(ClusterState cluster, PodLogEndpoint logs, IPodExecEndpoint exec) : ResourceStrategy<V1Pod>(cluster, cluster.Pods)
{
    public override ResourceInfo Info { get; } = new(
        "pods",
        "pod",
        "Pod",
        Namespaced: true,
        ResourceInfo.AllVerbs,
        ["po"],
        ["all"],
        [
            new SubresourceInfo("eviction", "Eviction", ["create"]),
            new SubresourceInfo("exec", "PodExecOptions", ["create", "get"]),
            new SubresourceInfo("log", "Pod", ["get"]),
            new SubresourceInfo("status", "Pod", ["get", "patch", "update"]),
        ]);

    public override FieldSet<V1Pod> Fields { get; } = new(new Dictionary<string, Func<V1Pod, string?>>(MetadataFields())
    {
        ["spec.nodeName"] = pod => pod.Spec.NodeName,
        ["spec.restartPolicy"] = pod => pod.Spec.RestartPolicy,
        ["spec.schedulerName"] = pod => pod.Spec.SchedulerName,
        ["spec.serviceAccountName"] = pod => pod.Spec.ServiceAccountName,
        ["spec.hostNetwork"] = pod => pod.Spec.HostNetwork == true ? "true" : "false",
        ["status.phase"] = pod => pod.Status?.Phase,
        ["status.podIP"] = pod => pod.Status?.PodIPs?.FirstOrDefault()?.Ip ?? pod.Status?.PodIP,
        ["status.podIPs"] = pod => pod.Status?.PodIPs?.FirstOrDefault()?.Ip ?? pod.Status?.PodIP,
        ["status.nominatedNodeName"] = pod => pod.Status?.NominatedNodeName,
    });

    public override TableConverter<V1Pod> Table => PodTable.Converter;

    public override bool HasStatus => true;

    public override void AdmitCreate(V1Pod item, string name) => Priority.Admit(item, name);

    public override IEnumerable<FieldError> ValidateCreate(V1Pod item) => PodValidator.Validate(item);

    public override void ApplyDefaults(V1Pod item) => PodDefaults.Apply(item);

    public override void CopyStatus(V1Pod source, V1Pod target) => target.Status = source.Status;

    public override void PreserveOnUpdate(V1Pod updated, V1Pod current) => updated.Status = current.Status;

    /// <summary>Only images, labels, annotations and a few scheduling fields of a pod may change (ValidatePodUpdate);
    /// activeDeadlineSeconds may be set or lowered, not raised or removed.</summary>
    public override IEnumerable<FieldError> ValidateUpdate(V1Pod updated, V1Pod current)
    {
        if (updated.Spec?.ActiveDeadlineSeconds is { } deadline)
        {
            if (current.Spec.ActiveDeadlineSeconds < deadline)
            {
                yield return FieldError.Invalid("spec.activeDeadlineSeconds", deadline, "must be less than or equal to previous value");
                yield break;
            }
        }
        else if (current.Spec.ActiveDeadlineSeconds is not null)
        {
            yield return FieldError.InvalidValue("spec.activeDeadlineSeconds", "null", "must not update from a positive integer to nil value");
            yield break;
        }

        var candidate = k8s.KubernetesJson.Deserialize<V1Pod>(k8s.KubernetesJson.Serialize(current));
        candidate.Spec.ActiveDeadlineSeconds = updated.Spec?.ActiveDeadlineSeconds;
        candidate.Spec.Tolerations = updated.Spec?.Tolerations;
        foreach (var (container, index) in candidate.Spec.Containers.Select((c, i) => (c, i)))
        {
            container.Image = updated.Spec?.Containers?.ElementAtOrDefault(index)?.Image ?? container.Image;
        }

        foreach (var (container, index) in (candidate.Spec.InitContainers ?? []).Select((c, i) => (c, i)))
        {
            container.Image = updated.Spec?.InitContainers?.ElementAtOrDefault(index)?.Image ?? container.Image;
        }

        if (k8s.KubernetesJson.Serialize(candidate.Spec) != k8s.KubernetesJson.Serialize(updated.Spec))
        {
            yield return FieldError.Forbidden("spec", "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)");
        }
    }

    public override DeleteResult Delete(StoredObject<V1Pod> current, V1DeleteOptions options)
    {
        var result = PodDeletion.Delete(Cluster, current, options.GracePeriodSeconds) ?? throw ApiErrors.NotFound(Info.Plural, current.Key.Name);
        return new DeleteResult(200, result.Json);
    }

    public override DeleteResult PreviewDelete(StoredObject<V1Pod> current, V1DeleteOptions options) =>
        new(200, PodDeletion.Preview(Cluster, current, options.GracePeriodSeconds));

    public override Task HandleSubresourceAsync(HttpContext context, ObjectKey key, string subresource, CancellationToken cancellationToken) =>
        subresource switch
        {
            "log" => logs.ServeAsync(context, key, cancellationToken),
            "exec" => exec.ServeAsync(context, key, cancellationToken),
            "eviction" => EvictAsync(context, key, cancellationToken),
            _ => throw ApiErrors.PathNotFound(),
        };

    /// <summary>The Eviction API: a graceful delete answered with a 201 Success Status (no disruption budgets here).</summary>
    private async Task EvictAsync(HttpContext context, ObjectKey key, CancellationToken cancellationToken)
    {
        if (context.Request.Method != "POST")
        {
            throw ApiErrors.MethodNotAllowed();
        }

        var body = await JsonBody.ReadBytesAsync(context.Request, cancellationToken);
        var eviction = body.Length == 0 ? new V1Eviction() : JsonBody.Deserialize<V1Eviction>(body, "Eviction");
        var current = Store.Get(key) ?? throw ApiErrors.NotFound(Info.Plural, key.Name);
        PodDeletion.Delete(Cluster, current, eviction.DeleteOptions?.GracePeriodSeconds);
        await ApiResponses.WriteJsonAsync(context, 201, new ApiStatus(201, string.Empty, string.Empty).ToJson(), cancellationToken);
    }
}

/// <summary>The exec subresource (a WebSocket upgrade).</summary>
internal interface IPodExecEndpoint
{
    Task ServeAsync(HttpContext context, ObjectKey key, CancellationToken cancellationToken);
}
