using System.Management.Automation;

namespace PodManager.Commands.Pipeline;

/// <summary>
/// Where the lines of -ShowLogs go. To the Information stream by default, tagged PodManager and Log, and also PSHOST, the
/// tag of Write-Host: the console shows them whatever $InformationPreference says, while 6> and -InformationVariable
/// still capture them as KPodLogLine objects. As Write-Host, an explicit -InformationAction SilentlyContinue or Ignore
/// hides them. Hosts that drop the Information stream (Azure Automation) get them with -LogStream Verbose or Output.
/// </summary>
internal static class LogLines
{
    private static readonly string[] Tags = ["PodManager", "Log"];
    private static readonly string[] HostTags = ["PodManager", "Log", "PSHOST"];

    /// <summary>Writes one line; on the pipeline thread only.</summary>
    public static void Write(PSCmdlet cmdlet, KPodLogLine line, LogStream stream)
    {
        switch (stream)
        {
            case LogStream.Verbose:
                cmdlet.WriteVerbose(line.ToString());
                break;
            case LogStream.Output:
                cmdlet.WriteObject(line);
                break;
            default:
                cmdlet.WriteInformation(line, ShownInHost(cmdlet) ? HostTags : Tags);
                break;
        }
    }

    /// <summary>
    /// The line as kubectl logs --prefix prints it, for a command that shows several pods' logs at once:
    /// <c>[pod/NAME/CONTAINER] line</c>.
    /// </summary>
    public static KPodLogLine WithPrefix(KPodLogLine line) => new()
    {
        Pod = line.Pod,
        Namespace = line.Namespace,
        Container = line.Container,
        Timestamp = line.Timestamp,
        Message = line.Message,
        UnixNanoseconds = line.UnixNanoseconds,
        ShowTimestamp = line.ShowTimestamp,
        ShowPrefix = true,
    };

    private static bool ShownInHost(PSCmdlet cmdlet) =>
        !cmdlet.MyInvocation.BoundParameters.TryGetValue("InformationAction", out var action)
        || LanguagePrimitives.ConvertTo<ActionPreference>(action) is not (ActionPreference.SilentlyContinue or ActionPreference.Ignore);
}
