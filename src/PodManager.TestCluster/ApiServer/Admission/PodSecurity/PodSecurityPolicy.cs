using System.Globalization;
using System.Text.RegularExpressions;
using PodManager.TestCluster.ApiServer.Validation;

namespace PodManager.TestCluster.ApiServer.Admission.PodSecurity;

/// <summary>A Pod Security Standard (k8s.io/pod-security-admission/api).</summary>
internal enum PodSecurityLevel
{
    Privileged,
    Baseline,
    Restricted,
}

/// <summary>A level at a policy version: <c>restricted:latest</c>, <c>baseline:v1.24</c>. A null
/// <paramref name="Minor"/> is <c>latest</c>.</summary>
internal sealed record LevelVersion(PodSecurityLevel Level, int? Minor)
{
    public static readonly LevelVersion PrivilegedLatest = new(PodSecurityLevel.Privileged, null);

    public override string ToString() =>
        $"{Level.ToString().ToLowerInvariant()}:{(Minor is { } minor ? $"v1.{minor.ToString(CultureInfo.InvariantCulture)}" : "latest")}";
}

/// <summary>
/// The policy of a namespace, from its <c>pod-security.kubernetes.io/{enforce,audit,warn}[-version]</c> labels, as
/// PolicyToEvaluate in k8s.io/pod-security-admission/api reads them: a missing label is privileged (the default of a
/// cluster without an admission configuration), a missing version is latest, and a label that does not parse is an
/// error that evaluates as restricted for enforce and as privileged for audit and warn.
/// </summary>
internal sealed partial record PodSecurityPolicy(LevelVersion Enforce, LevelVersion Audit, LevelVersion Warn, IReadOnlyList<FieldError> Errors)
{
    public const string LabelPrefix = "pod-security.kubernetes.io/";
    private static readonly string[] ValidLevels = ["privileged", "baseline", "restricted"];

    public bool IsPrivileged => Errors.Count == 0
        && Enforce.Level == PodSecurityLevel.Privileged && Audit.Level == PodSecurityLevel.Privileged && Warn.Level == PodSecurityLevel.Privileged;

    public static PodSecurityPolicy FromLabels(IDictionary<string, string>? labels)
    {
        var errors = new List<FieldError>();
        var enforce = Mode(labels, "enforce", failOpen: false, errors);
        var audit = Mode(labels, "audit", failOpen: true, errors);
        var warn = Mode(labels, "warn", failOpen: true, errors);
        return new PodSecurityPolicy(enforce, audit, warn, errors);
    }

    private static LevelVersion Mode(IDictionary<string, string>? labels, string mode, bool failOpen, List<FieldError> errors)
    {
        var level = PodSecurityLevel.Privileged;
        if (labels?.TryGetValue(LabelPrefix + mode, out var levelText) == true)
        {
            if (ValidLevels.Contains(levelText) && Enum.TryParse<PodSecurityLevel>(levelText, ignoreCase: true, out var parsed))
            {
                level = parsed;
            }
            else
            {
                errors.Add(FieldError.Invalid($"metadata.labels[{LabelPrefix}{mode}]", levelText, $"must be one of {string.Join(", ", ValidLevels)}"));
                level = failOpen ? PodSecurityLevel.Privileged : PodSecurityLevel.Restricted;
            }
        }

        int? minor = null;
        if (labels?.TryGetValue($"{LabelPrefix}{mode}-version", out var versionText) == true && versionText != "latest")
        {
            var match = VersionPattern().Match(versionText);
            if (match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedMinor))
            {
                minor = parsedMinor;
            }
            else
            {
                errors.Add(FieldError.Invalid($"metadata.labels[{LabelPrefix}{mode}-version]", versionText, "must be \"latest\" or \"v1.x\""));
            }
        }

        return new LevelVersion(level, minor);
    }

    [GeneratedRegex(@"^v1\.([0-9]|[1-9][0-9]*)$")]
    private static partial Regex VersionPattern();
}
