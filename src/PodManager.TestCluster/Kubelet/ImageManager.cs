using PodManager.TestCluster.ContainerRuntime;
using PodManager.TestCluster.Events;

namespace PodManager.TestCluster.Kubelet;

/// <summary>
/// Makes sure a container's image is on the node before it starts, as the kubelet's image manager does
/// (EnsureImageExists in pkg/kubelet/images): the pull policy decides whether to pull, a failed pull shows
/// <c>ErrImagePull</c> and then <c>ImagePullBackOff</c> with back-off, and an image that can never be had leaves
/// the container waiting with its reason. Each failure's events are recorded before the state that shows it. An
/// image of the private registry that is already on the node is only used by a pod whose pull secrets could pull
/// it; any other pod pulls it again (and fails), as kubelets verify cached private images since KEP-2535.
/// </summary>
internal static class ImageManager
{
    /// <summary>Returns once the image is present; waits (with the container's state showing why) until then.</summary>
    public static async Task EnsureImageAsync(PodWorker pod, ContainerRecord record, CancellationToken stopping)
    {
        var kubelet = pod.Kubelet;
        var spec = record.Spec;
        if (ImageReference.Parse(spec.Image) is not { } image)
        {
            var message = $"Failed to apply default image tag \"{spec.Image}\": couldn't parse image name \"{spec.Image}\": invalid reference format";
            await StuckAsync(pod, record, "InvalidImageName", "InspectFailed", message, stopping);
            return;
        }

        var policy = spec.ImagePullPolicy ?? image.DefaultPullPolicy;
        var credentials = PullSecrets.Resolve(pod);
        if (policy != "Always" && kubelet.Images.IsPresent(image) && (!PrivateRegistry.Serves(image) || PrivateRegistry.Authorizes(image, credentials)))
        {
            pod.Event(record, EventRecorder.Normal, "Pulled", $"Container image \"{spec.Image}\" already present on machine");
            pod.Update(() => record.ImageId = image.ImageId);
            return;
        }

        if (policy == "Never")
        {
            await StuckAsync(pod, record, "ErrImageNeverPull", "ErrImageNeverPull", $"Container image \"{spec.Image}\" is not present with pull policy of Never", stopping);
            return;
        }

        for (var failures = 1; ; failures++)
        {
            if (failures > 1)
            {
                credentials = PullSecrets.Resolve(pod);
            }

            pod.Event(record, EventRecorder.Normal, "Pulling", $"Pulling image \"{spec.Image}\"");
            var result = await kubelet.Images.PullAsync(image, credentials, stopping);
            if (result.Succeeded)
            {
                pod.Event(record, EventRecorder.Normal, "Pulled", ImagePuller.PulledMessage(image, result.Duration));
                pod.Update(() => record.ImageId = image.ImageId);
                return;
            }

            pod.Event(record, EventRecorder.Warning, "Failed", $"Failed to pull image \"{spec.Image}\": {result.Error}");
            pod.Event(record, EventRecorder.Warning, "Failed", "Error: ErrImagePull");
            pod.Update(() => record.State = ContainerRecord.Waiting("ErrImagePull", result.Error));

            // The kubelet reports ErrImagePull until its next sync finds the image in back-off.
            var delay = kubelet.BackOff.Delay(kubelet.BackOff.ImagePullBase, failures);
            var shown = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks, delay.Ticks / 2));
            await Task.Delay(shown, kubelet.Time, stopping);
            var backOffMessage = $"Back-off pulling image \"{spec.Image}\"";
            pod.Event(record, EventRecorder.Normal, "BackOff", backOffMessage);
            pod.Event(record, EventRecorder.Warning, "Failed", "Error: ImagePullBackOff");
            pod.Update(() => record.State = ContainerRecord.Waiting("ImagePullBackOff", backOffMessage));
            await Task.Delay(delay - shown, kubelet.Time, stopping);
        }
    }

    /// <summary>An image problem no retry can fix: the container waits with the reason until the pod goes away.</summary>
    private static async Task StuckAsync(PodWorker pod, ContainerRecord record, string reason, string eventReason, string message, CancellationToken stopping)
    {
        pod.Event(record, EventRecorder.Warning, eventReason, message);
        pod.Event(record, EventRecorder.Warning, "Failed", $"Error: {reason}");
        pod.Update(() => record.State = ContainerRecord.Waiting(reason, message));
        await Task.Delay(Timeout.InfiniteTimeSpan, pod.Kubelet.Time, stopping);
    }
}
