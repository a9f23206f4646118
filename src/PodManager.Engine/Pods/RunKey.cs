using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace PodManager.Engine.Pods;

/// <summary>
/// The reattach key: a label on the pod, so a second run with the same key finds the first run's pod.
/// Keys that are not valid label values are hashed; the original is kept in an annotation for people.
/// </summary>
public static partial class RunKey
{
    public const string Label = "podmanager.io/run-key";

    public const string Annotation = "podmanager.io/run-key";

    /// <summary>
    /// Set on a finished pod that was kept once its outcome was reported (the operator's <c>already_checked</c>): a
    /// later run with the same key starts a new pod instead of reporting that outcome again.
    /// </summary>
    public const string AlreadyCheckedLabel = "podmanager.io/already-checked";

    public static bool IsAlreadyChecked(k8s.Models.V1Pod pod) =>
        pod.Metadata?.Labels?.TryGetValue(AlreadyCheckedLabel, out var value) == true && value == "true";

    /// <summary>Marks the pod as the pod of the run key: the label to find it by, the key itself in the annotation.</summary>
    public static void Stamp(k8s.Models.V1Pod pod, string key)
    {
        pod.Metadata.Labels ??= new Dictionary<string, string>();
        pod.Metadata.Labels[Label] = LabelValue(key);
        pod.Metadata.Annotations ??= new Dictionary<string, string>();
        pod.Metadata.Annotations[Annotation] = key;
    }

    public static string LabelValue(string key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new PodManagerException(ErrorIds.InvalidParameterValue,
                "The run key is empty. Give a stable key per task run, e.g. -RunKey 'nightly-etl-2026-11-27'.");
        }

        return key.Length <= 63 && ValidLabelValue().IsMatch(key)
            ? key
            : "h-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..40].ToLowerInvariant();
    }

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex ValidLabelValue();
}
