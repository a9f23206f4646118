using PodManager.TestCluster.ApiServer.Validation;

namespace PodManager.TestCluster.ApiServer.Selectors;

/// <summary>Selector-side checks of label keys and values, phrased as the Go parser phrases them.</summary>
internal static class LabelRules
{
    public static void ValidateKey(string key)
    {
        var errors = NameRules.QualifiedName(key);
        if (errors.Count > 0)
        {
            throw new FormatException($"key: Invalid value: \"{key}\": {string.Join("; ", errors)}");
        }
    }

    public static void ValidateValue(string value)
    {
        var errors = NameRules.LabelValue(value);
        if (errors.Count > 0)
        {
            throw new FormatException($"values[0][key]: Invalid value: \"{value}\": {string.Join("; ", errors)}");
        }
    }
}
