using System.Text;
using k8s;
using k8s.Models;

namespace PodManager.TestCluster.Store;

/// <summary>
/// An immutable committed version of an object. The typed value is never mutated after commit, so it can be
/// shared by readers and watchers; the JSON is rendered once because almost every reader needs it.
/// </summary>
internal sealed class StoredObject<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public StoredObject(T value, long resourceVersion)
    {
        value.Metadata.ResourceVersion = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Value = value;
        ResourceVersion = resourceVersion;
        Json = Encoding.UTF8.GetBytes(KubernetesJson.Serialize(value));
        Key = new ObjectKey(value.Metadata.NamespaceProperty ?? string.Empty, value.Metadata.Name);
    }

    public T Value { get; }

    public long ResourceVersion { get; }

    public byte[] Json { get; }

    public ObjectKey Key { get; }

    public string Uid => Value.Metadata.Uid ?? string.Empty;

    /// <summary>A deep, mutable copy for building the next version.</summary>
    public T Clone()
    {
        using var stream = new MemoryStream(Json, writable: false);
        return KubernetesJson.Deserialize<T>(stream);
    }

    /// <summary>True when <paramref name="candidate"/> differs from this version only in its resourceVersion.</summary>
    public bool HasSameContent(T candidate)
    {
        var previous = candidate.Metadata.ResourceVersion;
        candidate.Metadata.ResourceVersion = Value.Metadata.ResourceVersion;
        var same = Encoding.UTF8.GetBytes(KubernetesJson.Serialize(candidate)).AsSpan().SequenceEqual(Json);
        candidate.Metadata.ResourceVersion = previous;
        return same;
    }

    /// <summary>The same state stamped with another resourceVersion (a DELETED event carries the delete's version).</summary>
    public StoredObject<T> WithResourceVersion(long resourceVersion) => new(Clone(), resourceVersion);
}
