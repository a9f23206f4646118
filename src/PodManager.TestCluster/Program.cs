using System.Runtime.InteropServices;
using PodManager.TestCluster;
using PodManager.TestCluster.Hosting;

var parsed = CommandLine.Parse(args);
if (parsed.Error is { } error)
{
    await Console.Error.WriteLineAsync(error);
    await Console.Error.WriteLineAsync(CommandLine.Usage);
    return 2;
}

if (parsed.ShowHelp)
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

TestClusterServer server;
try
{
    server = await TestClusterServer.StartAsync(parsed.Options);
}
catch (Exception failure) when (failure is IOException or InvalidOperationException or UnauthorizedAccessException or FormatException)
{
    await Console.Error.WriteLineAsync($"testcluster: could not start: {failure.Message}");
    return 1;
}

try
{
    await using (server)
    {
        Console.Out.WriteLine($"ready {server.Address.ToString().TrimEnd('/')}");
        Console.Out.Flush();
        await stop.Task;
    }
}
catch (InvalidOperationException violations) when (parsed.Options.SchemaCheckDirectory is not null)
{
    // The schema check found responses that do not match the Kubernetes schema (each already written to stderr).
    await Console.Error.WriteLineAsync($"testcluster: {violations.Message.Split('\n')[0]}");
    return 1;
}

return 0;
