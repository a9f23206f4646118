using System.Collections;
using System.Globalization;
using System.Management.Automation;

namespace PodManager.Commands.Parameters;

/// <summary>
/// -Volume values as <see cref="KPodVolume"/>: objects from New-KPodVolume as they are, hashtables with the same keys
/// as New-KPodVolume's parameters (in any case). The engine checks the volume itself.
/// </summary>
internal static class VolumeParameters
{
    private static readonly string[] Keys =
    [
        nameof(KPodVolume.Name), nameof(KPodVolume.MountPath), nameof(KPodVolume.ConfigMap), nameof(KPodVolume.Secret), nameof(KPodVolume.EmptyDir),
        nameof(KPodVolume.PersistentVolumeClaim), nameof(KPodVolume.ReadOnly), nameof(KPodVolume.SubPath), nameof(KPodVolume.Items),
        nameof(KPodVolume.DefaultMode), nameof(KPodVolume.Optional), nameof(KPodVolume.SizeLimit), nameof(KPodVolume.Medium),
    ];

    public static IReadOnlyList<KPodVolume>? From(object[]? values) => values?.Select(From).ToList();

    private static KPodVolume From(object? value)
    {
        switch (ObjectParameters.Unwrap(value))
        {
            case KPodVolume volume:
                return volume;
            case IDictionary table:
                var entries = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                foreach (DictionaryEntry entry in table)
                {
                    var key = entry.Key.ToString() ?? "";
                    if (!Keys.Contains(key, StringComparer.OrdinalIgnoreCase))
                    {
                        throw Invalid($"-Volume has the key '{key}', which a volume does not have; its keys are {string.Join(", ", Keys)} (the parameters of New-KPodVolume).");
                    }

                    entries[key] = ObjectParameters.Unwrap(entry.Value);
                }

                var name = Text(entries, nameof(KPodVolume.Name));
                var mountPath = Text(entries, nameof(KPodVolume.MountPath));
                if (name is null || mountPath is null)
                {
                    throw Invalid($"-Volume needs a Name and a MountPath, e.g. @{{ Name = 'config'; ConfigMap = 'app-config'; MountPath = '/etc/app' }}; this one has {(name is null ? "no Name" : $"Name '{name}' but no MountPath")}.");
                }

                return new KPodVolume
                {
                    Name = name,
                    MountPath = mountPath,
                    ConfigMap = Text(entries, nameof(KPodVolume.ConfigMap)),
                    Secret = Text(entries, nameof(KPodVolume.Secret)),
                    EmptyDir = Flag(entries, nameof(KPodVolume.EmptyDir)),
                    PersistentVolumeClaim = Text(entries, nameof(KPodVolume.PersistentVolumeClaim)),
                    ReadOnly = Flag(entries, nameof(KPodVolume.ReadOnly)),
                    SubPath = Text(entries, nameof(KPodVolume.SubPath)),
                    Items = entries.TryGetValue(nameof(KPodVolume.Items), out var items) && items is not null
                        ? Hashtables.ToStrings(items as IDictionary ?? throw Invalid($"-Volume '{name}': Items must be a hashtable of key to path, e.g. Items = @{{ 'app.ini' = 'app.ini' }}."), "Volume Items")
                        : null,
                    DefaultMode = Text(entries, nameof(KPodVolume.DefaultMode)),
                    Optional = Flag(entries, nameof(KPodVolume.Optional)),
                    SizeLimit = Text(entries, nameof(KPodVolume.SizeLimit)),
                    Medium = Text(entries, nameof(KPodVolume.Medium)),
                };
            default:
                throw Invalid($"-Volume takes objects from New-KPodVolume or hashtables such as @{{ Name = 'config'; ConfigMap = 'app-config'; MountPath = '/etc/app' }}, not {(value is null ? "a null value" : $"a {ObjectParameters.Unwrap(value)!.GetType().Name}")}.");
        }
    }

    private static string? Text(Dictionary<string, object?> entries, string key) =>
        entries.TryGetValue(key, out var value) && value is not null
            ? value is string or ValueType ? Convert.ToString(value, CultureInfo.InvariantCulture) : throw Invalid($"-Volume {key} must be text, not a {value.GetType().Name}.")
            : null;

    private static bool Flag(Dictionary<string, object?> entries, string key) =>
        entries.TryGetValue(key, out var value) && value switch
        {
            null => false,
            bool flag => flag,
            SwitchParameter flag => flag.IsPresent,
            _ => throw Invalid($"-Volume {key} must be $true or $false, not '{value}'."),
        };

    private static PodManagerException Invalid(string message) => new(ErrorIds.InvalidParameterValue, message);
}
