using System.Diagnostics;

namespace PodManager.TestCluster.Tests.Infrastructure;

public sealed record KubectlResult(int ExitCode, string Output, string Error);

/// <summary>A kubectl that keeps running; disposing it kills it.</summary>
public sealed class KubectlStream(Process process) : IDisposable
{
    public Task<string?> ReadLineAsync(CancellationToken cancellationToken) => process.StandardOutput.ReadLineAsync(cancellationToken).AsTask();

    /// <summary>Reads lines until one matches; returns every line read.</summary>
    public async Task<List<string>> ReadUntilAsync(Func<string, bool> last, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (await ReadLineAsync(cancellationToken) is { } line)
        {
            lines.Add(line);
            if (last(line))
            {
                return lines;
            }
        }

        throw new InvalidOperationException($"kubectl ended before the expected line; stderr: {await process.StandardError.ReadToEndAsync(cancellationToken)}; output: {string.Join('|', lines)}");
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }
}

/// <summary>Runs the real kubectl against a test cluster, with its own discovery cache; the kubeconfig goes through
/// the <see cref="LoopbackGuard"/> first.</summary>
public sealed class Kubectl : IDisposable
{
    private readonly string kubeConfig;
    private readonly string cacheDirectory = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;

    public Kubectl(string kubeConfig)
    {
        LoopbackGuard.Load(kubeConfig);
        this.kubeConfig = kubeConfig;
    }

    public async Task<KubectlResult> RunAsync(string[] arguments, string? input = null, TimeSpan? timeout = null)
    {
        using var process = Start(arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? Waits.Default);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', arguments)} did not finish; stderr so far: {(error.IsCompleted ? await error : string.Empty)}");
        }

        return new KubectlResult(process.ExitCode, await output, await error);
    }

    public Task<KubectlResult> RunAsync(params string[] arguments) => RunAsync(arguments, null);

    /// <summary>Starts a long-running kubectl (<c>get -w</c>, <c>logs -f</c>) whose output is read line by line.</summary>
    public KubectlStream Stream(params string[] arguments) => new(Start(arguments));

    private Process Start(string[] arguments)
    {
        var startInfo = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add($"--kubeconfig={kubeConfig}");
        startInfo.ArgumentList.Add($"--cache-dir={cacheDirectory}");
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Remove("KUBECONFIG");
        return Process.Start(startInfo)!;
    }

    /// <summary>Runs and requires exit code 0, returning stdout.</summary>
    public async Task<string> OutputAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments, null);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Error}");
        return result.Output;
    }

    public void Dispose() => Directory.Delete(cacheDirectory, recursive: true);
}
