using System.Globalization;

namespace PodManager.TestCluster.ContainerRuntime;

/// <summary>The outcome of one pull: success with how long it took, or the runtime's error.</summary>
internal sealed record PullResult(bool Succeeded, TimeSpan Duration, string? Error)
{
    public static PullResult Success(TimeSpan duration) => new(true, duration, null);

    public static PullResult Failure(string error) => new(false, TimeSpan.Zero, error);
}

/// <summary>
/// Pretends to pull images; nothing is downloaded (commands run with the host's binaries). The reference decides
/// the outcome: <c>does-not-exist</c> never pulls, <c>rate-limited</c> fails once with a transient error and
/// then succeeds, <c>slow-pull</c> takes <see cref="TestClusterOptions.SlowPullDuration"/>, an image of the
/// <see cref="PrivateRegistry"/> pulls only with its credentials; anything else pulls at once. Pulled images are
/// present on the node afterwards, as with a real runtime.
/// </summary>
internal sealed class ImagePuller(TimeProvider time, TimeSpan slowPullDuration)
{
    private readonly Lock gate = new();
    private readonly HashSet<string> present = [];
    private readonly Dictionary<string, int> rateLimitedAttempts = [];

    public bool IsPresent(ImageReference image)
    {
        lock (gate)
        {
            return present.Contains(image.Normalized);
        }
    }

    public async Task<PullResult> PullAsync(ImageReference image, IReadOnlyList<RegistryCredential> credentials, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var name = image.Normalized;
        if (image.Original.Contains("slow-pull", StringComparison.Ordinal))
        {
            await Task.Delay(slowPullDuration, time, cancellationToken);
        }

        if (PrivateRegistry.Serves(image) && !PrivateRegistry.Authorizes(image, credentials))
        {
            return PullResult.Failure(PrivateRegistry.Unauthorized(image));
        }

        if (image.Original.Contains("does-not-exist", StringComparison.Ordinal))
        {
            return PullResult.Failure($"rpc error: code = NotFound desc = failed to pull and unpack image \"{name}\": failed to resolve reference \"{name}\": {name}: not found");
        }

        if (image.Original.Contains("rate-limited", StringComparison.Ordinal) && FirstAttempt(name))
        {
            return PullResult.Failure($"rpc error: code = Unknown desc = failed to pull and unpack image \"{name}\": failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/{image.Repository.Replace("docker.io/", string.Empty)}/manifests/{image.Tag ?? "latest"}: 429 Too Many Requests - Server message: toomanyrequests: rate limit exceeded");
        }

        lock (gate)
        {
            present.Add(name);
        }

        return PullResult.Success(time.GetElapsedTime(started));
    }

    /// <summary>The kubelet's Pulled message, e.g. <c>Successfully pulled image "x" in 1.2s (1.2s including waiting). Image size: …</c>.</summary>
    public static string PulledMessage(ImageReference image, TimeSpan duration)
    {
        var text = GoDuration(duration);
        return $"Successfully pulled image \"{image.Original}\" in {text} ({text} including waiting). Image size: {image.SizeBytes} bytes.";
    }

    /// <summary>Go's time.Duration.String for the sub-hour durations a pull takes.</summary>
    public static string GoDuration(TimeSpan duration)
    {
        if (duration < TimeSpan.FromMilliseconds(1))
        {
            return duration.TotalMicroseconds.ToString("0.###", CultureInfo.InvariantCulture) + "µs";
        }

        if (duration < TimeSpan.FromSeconds(1))
        {
            return duration.TotalMilliseconds.ToString("0.######", CultureInfo.InvariantCulture) + "ms";
        }

        return duration < TimeSpan.FromMinutes(1)
            ? duration.TotalSeconds.ToString("0.#########", CultureInfo.InvariantCulture) + "s"
            : $"{(int)duration.TotalMinutes}m{duration.Seconds}s";
    }

    private bool FirstAttempt(string name)
    {
        lock (gate)
        {
            var attempts = rateLimitedAttempts.GetValueOrDefault(name);
            rateLimitedAttempts[name] = attempts + 1;
            return attempts == 0;
        }
    }
}
