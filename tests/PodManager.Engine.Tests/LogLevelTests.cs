using Xunit;

namespace PodManager.Engine.Tests;

public sealed class LogLevelTests
{
    [Theory] // Airflow's test_parse_log_level
    [InlineData("ERROR: disk full", "ERROR")]
    [InlineData("WARNING: low memory", "WARNING")]
    [InlineData("WARN: low memory", "WARNING")]
    [InlineData("DEBUG: x=1", "DEBUG")]
    [InlineData("CRITICAL: gone", "CRITICAL")]
    [InlineData("FATAL: gone", "CRITICAL")]
    [InlineData("INFO: started", "INFO")]
    [InlineData("[ERROR] bracketed", "ERROR")]
    [InlineData("error - lower case", "ERROR")]
    [InlineData("a plain line", "INFO")]
    [InlineData("", "INFO")]
    public void TheLevelComesFromTheLinesPrefix(string message, string level) =>
        Assert.Equal(level, new KPodLogLine { Pod = "p", Namespace = "n", Container = "c", Message = message }.Level);
}
