namespace PodManager.TestCluster;

/// <summary>Lookups on the <see cref="IDictionary{TKey,TValue}"/> maps of the Kubernetes models, which may be null.</summary>
internal static class DictionaryExtensions
{
    public static TValue? ValueOrDefault<TKey, TValue>(this IDictionary<TKey, TValue>? dictionary, TKey key)
        where TKey : notnull =>
        dictionary is not null && dictionary.TryGetValue(key, out var value) ? value : default;
}
