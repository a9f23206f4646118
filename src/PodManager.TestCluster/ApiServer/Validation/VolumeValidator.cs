using k8s.Models;

namespace PodManager.TestCluster.ApiServer.Validation;

/// <summary>The volume checks of pkg/apis/core/validation (validateVolumeSource, validateKeyToPath,
/// validateLocalDescendingPath): the sources' names, file modes, and paths that stay inside the volume.</summary>
internal static class VolumeValidator
{
    private const string FileModeError = "must be a number between 0 and 0777 (octal), both inclusive";

    public static IEnumerable<FieldError> Validate(V1Volume volume, string at)
    {
        var errors = new List<FieldError>();
        switch (volume)
        {
            case { ConfigMap: { } configMap }:
                RequireName(errors, $"{at}.configMap.name", configMap.Name);
                Mode(errors, $"{at}.configMap.defaultMode", configMap.DefaultMode);
                Items(errors, $"{at}.configMap.items", configMap.Items);
                break;
            case { Secret: { } secret }:
                RequireName(errors, $"{at}.secret.secretName", secret.SecretName);
                Mode(errors, $"{at}.secret.defaultMode", secret.DefaultMode);
                Items(errors, $"{at}.secret.items", secret.Items);
                break;
            case { PersistentVolumeClaim: { } claim }:
                RequireName(errors, $"{at}.persistentVolumeClaim.claimName", claim.ClaimName);
                break;
            case { DownwardAPI: { } downward }:
                Mode(errors, $"{at}.downwardAPI.defaultMode", downward.DefaultMode);
                DownwardItems(errors, $"{at}.downwardAPI.items", downward.Items);
                break;
            case { Projected: { } projected }:
                Mode(errors, $"{at}.projected.defaultMode", projected.DefaultMode);
                foreach (var (source, i) in (projected.Sources ?? []).Select((s, i) => (s, i)))
                {
                    var sourceAt = $"{at}.projected.sources[{i}]";
                    if (source.ConfigMap is { } configMap)
                    {
                        Items(errors, $"{sourceAt}.configMap.items", configMap.Items);
                    }

                    if (source.Secret is { } secret)
                    {
                        Items(errors, $"{sourceAt}.secret.items", secret.Items);
                    }

                    if (source.DownwardAPI is { } downward)
                    {
                        DownwardItems(errors, $"{sourceAt}.downwardAPI.items", downward.Items);
                    }
                }

                break;
            case { EmptyDir: { SizeLimit: { } limit } }:
                if (limit.ToDecimal() < 0)
                {
                    errors.Add(FieldError.Invalid($"{at}.emptyDir.sizeLimit", limit.ToString(), "must be greater than or equal to 0"));
                }

                break;
        }

        return errors;
    }

    /// <summary>A path inside a volume (subPath, items[].path): relative and without <c>..</c> steps.</summary>
    public static IEnumerable<FieldError> LocalDescendingPath(string field, string path)
    {
        if (path.StartsWith('/'))
        {
            yield return FieldError.Invalid(field, path, "must be a relative path");
        }

        if (path.Split('/').Contains(".."))
        {
            yield return FieldError.Invalid(field, path, "must not contain '..'");
        }
    }

    private static void RequireName(List<FieldError> errors, string field, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(FieldError.Required(field));
        }
    }

    private static void Mode(List<FieldError> errors, string field, int? mode)
    {
        if (mode is < 0 or > 511)
        {
            errors.Add(FieldError.Invalid(field, mode.Value, FileModeError));
        }
    }

    private static void Items(List<FieldError> errors, string at, IList<V1KeyToPath>? items)
    {
        foreach (var (item, i) in (items ?? []).Select((item, i) => (item, i)))
        {
            if (string.IsNullOrEmpty(item.Key))
            {
                errors.Add(FieldError.Required($"{at}[{i}].key"));
            }

            FilePath(errors, $"{at}[{i}].path", item.Path);
            Mode(errors, $"{at}[{i}].mode", item.Mode);
        }
    }

    private static void DownwardItems(List<FieldError> errors, string at, IList<V1DownwardAPIVolumeFile>? items)
    {
        foreach (var (item, i) in (items ?? []).Select((item, i) => (item, i)))
        {
            FilePath(errors, $"{at}[{i}].path", item.Path);
            Mode(errors, $"{at}[{i}].mode", item.Mode);
        }
    }

    /// <summary>ValidateLocalNonReservedPath: a relative path without <c>..</c> that does not start with <c>..</c>.</summary>
    private static void FilePath(List<FieldError> errors, string field, string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            errors.Add(FieldError.Required(field));
            return;
        }

        errors.AddRange(LocalDescendingPath(field, path));
        if (path.StartsWith("..", StringComparison.Ordinal) && !path.StartsWith("../", StringComparison.Ordinal))
        {
            errors.Add(FieldError.Invalid(field, path, "must not start with '..'"));
        }
    }
}
