using System.Globalization;
using System.Security.Cryptography;
using PodManager.TestCluster.ContainerRuntime;

namespace PodManager.TestCluster.Hosting;

/// <summary>
/// The cluster's temporary directory, <c>podmanager-testcluster-&lt;random&gt;</c>, marked with the PID of the
/// process that owns it. A cluster that was killed cannot remove its directory (its containers die with it), so
/// each start removes the directories of owners that no longer run.
/// </summary>
internal static class ClusterDirectory
{
    private const string Prefix = "podmanager-testcluster-";
    private const string OwnerFile = "owner.pid";

    public static string Create(string? parent)
    {
        var root = Path.GetFullPath(parent ?? Path.GetTempPath());
        RemoveOrphans(root);
        var directory = Path.Combine(root, Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        return directory;
    }

    private static void RemoveOrphans(string root)
    {
        if (!Directory.Exists(root))
        {
            return;
        }

        foreach (var candidate in Directory.EnumerateDirectories(root, Prefix + "*"))
        {
            var owner = Path.Combine(candidate, OwnerFile);
            if (File.Exists(owner)
                && int.TryParse(File.ReadAllText(owner).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && !Directory.Exists($"/proc/{pid}"))
            {
                SafeDirectory.TryDelete(candidate);
            }
        }
    }
}
