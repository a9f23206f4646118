using System.Collections;
using System.Management.Automation;

namespace PodManager.Commands.Parameters;

/// <summary>Reads a field of a pod's <c>metadata</c> from kubectl's JSON, whether ConvertFrom-Json made an object or a hashtable.</summary>
internal static class PodMetadata
{
    public static string? Field(PSObject metadata, string field) =>
        (metadata.BaseObject is IDictionary table ? table[field] : metadata.Properties[field]?.Value)?.ToString();
}
