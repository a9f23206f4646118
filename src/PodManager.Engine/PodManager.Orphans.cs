using PodManager.Engine.Orphans;
using PodManager.Engine.Pods;

namespace PodManager.Engine;

public sealed partial class PodManager
{
    public async Task<IReadOnlyList<OrphanedPod>> FindOrphanedPodsAsync(string ns, TimeSpan olderThan, bool ageAppliesToThisHost, CancellationToken cancellationToken)
    {
        var pods = await ListV1PodsAsync(ns, $"{PodDefaults.ManagedByLabel}={PodDefaults.ManagedByValue},{RunKey.AlreadyCheckedLabel}!=true", fieldSelector: null, cancellationToken).ConfigureAwait(false);
        var now = Options.TimeProvider.GetUtcNow();
        var orphans = new List<OrphanedPod>();
        foreach (var pod in pods.Where(p => p.Metadata.DeletionTimestamp is null))
        {
            var age = pod.Metadata.CreationTimestamp is { } created ? now - new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : TimeSpan.Zero;
            var oldEnough = age >= olderThan;
            var annotations = pod.Metadata.Annotations ?? new Dictionary<string, string>();
            var runner = annotations.TryGetValue(RunnerIdentity.HostAnnotation, out var host)
                ? $"process {(annotations.TryGetValue(RunnerIdentity.ProcessIdAnnotation, out var pid) ? pid : "?")} on host {host}"
                : "a runner that did not write itself on the pod";
            var reason = RunnerIdentity.IsAlive(pod) switch
            {
                true => null,
                false when oldEnough || !ageAppliesToThisHost => $"its runner, {runner}, is no longer running",
                false => null,
                null when oldEnough => $"its runner, {runner}, cannot be checked from this host and the pod is {KubeDuration.Format(age)} old (more than -OlderThan {KubeDuration.Format(olderThan)})",
                null => null,
            };
            if (reason is not null)
            {
                orphans.Add(new OrphanedPod(ToKPod(pod), reason));
            }
        }

        return orphans;
    }
}
