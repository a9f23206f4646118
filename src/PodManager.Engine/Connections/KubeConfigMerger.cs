using k8s.KubeConfigModels;

namespace PodManager.Engine.Connections;

/// <summary>
/// Merges the files of a KUBECONFIG list the way kubectl does: for each cluster, user and context name
/// the first file that defines it wins, and so does the first current-context; an empty file adds nothing.
/// </summary>
internal static class KubeConfigMerger
{
    public static K8SConfiguration Load(IReadOnlyList<string> files)
    {
        var configs = files.Select(KubeConfigReader.Load).OfType<K8SConfiguration>().ToList();
        if (configs.Count == 0)
        {
            throw new InvalidDataException(files.Count == 1 ? "it is empty." : "every one of them is empty.");
        }

        var merged = configs[0];
        foreach (var next in configs.Skip(1))
        {
            merged.Clusters = Union(merged.Clusters, next.Clusters, c => c.Name);
            merged.Users = Union(merged.Users, next.Users, u => u.Name);
            merged.Contexts = Union(merged.Contexts, next.Contexts, c => c.Name);
            if (string.IsNullOrEmpty(merged.CurrentContext))
            {
                merged.CurrentContext = next.CurrentContext;
            }
        }

        return merged;
    }

    private static List<T> Union<T>(IEnumerable<T>? first, IEnumerable<T>? second, Func<T, string> name) =>
        (first ?? []).Concat(second ?? []).GroupBy(name, StringComparer.Ordinal).Select(g => g.First()).ToList();
}
