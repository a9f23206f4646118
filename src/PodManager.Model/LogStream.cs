namespace PodManager;

/// <summary>Where -ShowLogs writes the log lines it follows (Wait-KPodCompletion, Invoke-KPod -LogStream).</summary>
public enum LogStream
{
    /// <summary>The Information stream, shown in the console as Write-Host output is, and kept by -InformationVariable and 6>.</summary>
    Information,

    /// <summary>The Verbose stream, as text: for hosts that drop the Information stream but keep verbose records (Azure Automation).</summary>
    Verbose,

    /// <summary>The Output stream, as KPodLogLine objects before the command's own output: for hosts that show only output.</summary>
    Output,
}
