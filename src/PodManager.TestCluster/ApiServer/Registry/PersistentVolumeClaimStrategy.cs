using k8s.Models;
using PodManager.TestCluster.ApiServer.Printers;
using PodManager.TestCluster.ApiServer.Validation;
using PodManager.TestCluster.Store;

namespace PodManager.TestCluster.ApiServer.Registry;

/// <summary>
/// PersistentVolumeClaims (pkg/registry/core/persistentvolumeclaim): validated as ValidatePersistentVolumeClaim does,
/// created <c>Pending</c>, then bound by the <see cref="Controllers.PersistentVolumeBinder"/> to a directory of the
/// cluster. After creation only <c>spec.resources.requests</c> may change. A delete answers the deleted claim.
/// </summary>
internal sealed class PersistentVolumeClaimStrategy(ClusterState cluster) : ResourceStrategy<V1PersistentVolumeClaim>(cluster, cluster.PersistentVolumeClaims)
{
    public static readonly IReadOnlyList<string> AccessModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];

    private static readonly string[] VolumeModes = ["Block", "Filesystem"];

    public override ResourceInfo Info { get; } = new(
        "persistentvolumeclaims",
        "persistentvolumeclaim",
        "PersistentVolumeClaim",
        Namespaced: true,
        ResourceInfo.AllVerbs,
        ["pvc"],
        [],
        [new SubresourceInfo("status", "PersistentVolumeClaim", ["get", "patch", "update"])]);

    public override bool HasStatus => true;

    public override TableConverter<V1PersistentVolumeClaim> Table { get; } = new(
        [
            new TableColumn("Name", "string", "name", "Name must be unique within a namespace."),
            new TableColumn("Status", "string", string.Empty, "phase represents the current phase of PersistentVolumeClaim."),
            new TableColumn("Volume", "string", string.Empty, "volumeName is the binding reference to the PersistentVolume backing this claim."),
            new TableColumn("Capacity", "string", string.Empty, "capacity represents the actual resources of the underlying volume."),
            new TableColumn("Access Modes", "string", string.Empty, "accessModes contains the actual access modes the volume backing the PVC has."),
            new TableColumn("StorageClass", "string", string.Empty, "StorageClass of the pvc"),
            new TableColumn("VolumeAttributesClass", "string", string.Empty, "VolumeAttributesClass of the pvc"),
            new TableColumn("Age", "string", string.Empty, "CreationTimestamp is a timestamp representing the server time when this object was created."),
            new TableColumn("VolumeMode", "string", string.Empty, "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.", 1),
        ],
        (item, now) =>
        [
            item.Metadata.Name,
            item.Metadata.DeletionTimestamp is null ? item.Status?.Phase : "Terminating",
            item.Spec.VolumeName ?? string.Empty,
            string.IsNullOrEmpty(item.Spec.VolumeName) ? string.Empty : item.Status?.Capacity.ValueOrDefault("storage")?.ToString() ?? string.Empty,
            string.Join(',', (item.Status?.AccessModes ?? []).Select(ShortAccessMode)),
            item.Spec.StorageClassName ?? string.Empty,
            item.Spec.VolumeAttributesClassName ?? "<unset>",
            HumanDuration.Since(item.Metadata.CreationTimestamp, now),
            item.Spec.VolumeMode ?? "<unset>",
        ]);

    public override IEnumerable<FieldError> ValidateCreate(V1PersistentVolumeClaim item)
    {
        var spec = item.Spec;
        if (spec?.AccessModes is null or { Count: 0 })
        {
            yield return FieldError.Required("spec.accessModes", "at least 1 access mode is required");
        }

        foreach (var mode in spec?.AccessModes ?? [])
        {
            if (!AccessModes.Contains(mode))
            {
                yield return FieldError.NotSupported("spec.accessModes", mode, AccessModes);
            }
        }

        if (spec?.VolumeMode is { } volumeMode && !VolumeModes.Contains(volumeMode))
        {
            yield return FieldError.NotSupported("spec.volumeMode", volumeMode, VolumeModes);
        }

        if (spec?.Resources?.Requests.ValueOrDefault("storage") is not { } storage)
        {
            yield return FieldError.Required("spec.resources[storage]");
        }
        else if (storage.ToDecimal() <= 0)
        {
            yield return FieldError.Invalid("spec.resources[storage]", storage.ToString(), "must be greater than zero");
        }
    }

    /// <summary>The spec is immutable after creation except resources.requests (ValidatePersistentVolumeClaimUpdate).</summary>
    public override IEnumerable<FieldError> ValidateUpdate(V1PersistentVolumeClaim updated, V1PersistentVolumeClaim current)
    {
        foreach (var error in ValidateCreate(updated))
        {
            yield return error;
        }

        var candidate = k8s.KubernetesJson.Deserialize<V1PersistentVolumeClaimSpec>(k8s.KubernetesJson.Serialize(current.Spec));
        candidate.Resources ??= new V1VolumeResourceRequirements();
        candidate.Resources.Requests = updated.Spec?.Resources?.Requests;
        if (k8s.KubernetesJson.Serialize(candidate) != k8s.KubernetesJson.Serialize(updated.Spec))
        {
            yield return FieldError.Forbidden("spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims");
        }
    }

    public override void ApplyDefaults(V1PersistentVolumeClaim item)
    {
        item.Spec.VolumeMode ??= "Filesystem";
        item.Status = new V1PersistentVolumeClaimStatus { Phase = "Pending" };
    }

    /// <summary>Deleted at once (there is no pvc-protection finalizer); the answer is the claim, as for pods.</summary>
    public override DeleteResult Delete(StoredObject<V1PersistentVolumeClaim> current, V1DeleteOptions options)
    {
        var deleted = Store.Delete(current.Key, stored => stored.Uid == current.Uid) ?? throw ApiErrors.NotFound(Info.Plural, current.Key.Name);
        return new DeleteResult(200, deleted.Json);
    }

    public override DeleteResult PreviewDelete(StoredObject<V1PersistentVolumeClaim> current, V1DeleteOptions options) => new(200, current.Json);

    public override void CopyStatus(V1PersistentVolumeClaim source, V1PersistentVolumeClaim target) => target.Status = source.Status;

    public override void PreserveOnUpdate(V1PersistentVolumeClaim updated, V1PersistentVolumeClaim current) => updated.Status = current.Status;

    /// <summary>RWO, ROX, RWX, RWOP as kubectl prints them.</summary>
    private static string ShortAccessMode(string mode) => mode switch
    {
        "ReadWriteOnce" => "RWO",
        "ReadOnlyMany" => "ROX",
        "ReadWriteMany" => "RWX",
        "ReadWriteOncePod" => "RWOP",
        _ => mode,
    };
}
