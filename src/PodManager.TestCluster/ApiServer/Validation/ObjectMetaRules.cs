using k8s.Models;

namespace PodManager.TestCluster.ApiServer.Validation;

/// <summary>Validation of <c>metadata</c> shared by every kind (ValidateObjectMeta).</summary>
internal static class ObjectMetaRules
{
    public static List<FieldError> Validate(V1ObjectMeta meta, Func<string, IReadOnlyList<string>> nameRule)
    {
        var errors = new List<FieldError>();
        if (!string.IsNullOrEmpty(meta.GenerateName))
        {
            // A generateName is a prefix, so a trailing dash is fine (maskTrailingDash).
            var masked = meta.GenerateName.EndsWith('-') ? meta.GenerateName[..^1] + "a" : meta.GenerateName;
            errors.AddRange(nameRule(masked).Select(m => FieldError.Invalid("metadata.generateName", meta.GenerateName, m)));
        }

        if (string.IsNullOrEmpty(meta.Name))
        {
            errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else
        {
            errors.AddRange(nameRule(meta.Name).Select(m => FieldError.Invalid("metadata.name", meta.Name, m)));
        }

        foreach (var (key, value) in meta.Labels ?? new Dictionary<string, string>())
        {
            errors.AddRange(NameRules.QualifiedName(key).Select(m => FieldError.Invalid("metadata.labels", key, m)));
            errors.AddRange(NameRules.LabelValue(value ?? string.Empty).Select(m => FieldError.Invalid("metadata.labels", value ?? string.Empty, m)));
        }

        foreach (var key in meta.Annotations?.Keys ?? [])
        {
            errors.AddRange(NameRules.QualifiedName(key.ToLowerInvariant()).Select(m => FieldError.Invalid("metadata.annotations", key, m)));
        }

        return errors;
    }
}
