namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>
/// The container's main process reports <c>ready</c> just before it execs <c>chroot</c> (<see cref="LaunchScript"/>),
/// and <c>chroot</c> with a <c>--userspec</c> takes a moment more before it enters the root. An exec that
/// <c>nsenter --root</c>s the process in that moment would run in the host's root, and find none of the container's
/// files, where a real runtime has the process in its root before the container counts as running.
/// </summary>
internal static class ContainerRoot
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>Completes once the process <paramref name="hostPid"/> runs in the container's root (or has ended, or the limit passed).</summary>
    public static async Task WaitEnteredAsync(int hostPid, string runDirectory, CancellationToken cancellationToken)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.Combine(runDirectory, "root"));
        var deadline = DateTime.UtcNow + Limit;
        while (DateTime.UtcNow < deadline)
        {
            string? target;
            try
            {
                target = new FileInfo($"/proc/{hostPid}/root").LinkTarget;
            }
            catch (IOException)
            {
                return;
            }
            catch (UnauthorizedAccessException)
            {
                return;
            }

            if (target is null || Path.TrimEndingDirectorySeparator(target) == root)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken).ConfigureAwait(false);
        }
    }
}
