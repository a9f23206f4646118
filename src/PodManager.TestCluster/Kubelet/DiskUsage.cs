namespace PodManager.TestCluster.Kubelet;

/// <summary>How much a volume's files take, for the eviction manager's emptyDir size limits: the apparent size of
/// every file below the directory (symlinks not followed).</summary>
internal static class DiskUsage
{
    private static readonly EnumerationOptions Everything = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        IgnoreInaccessible = true,
    };

    /// <summary>The total in bytes; files that vanish while counting are skipped.</summary>
    public static decimal Of(string directory)
    {
        decimal total = 0;
        try
        {
            foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", Everything))
            {
                total += file.Exists ? file.Length : 0;
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // The directory changed under the enumeration; the next check counts again.
        }

        return total;
    }
}
