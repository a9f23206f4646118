using System.Diagnostics;

namespace PodManager.TestCluster.Tests.Infrastructure;

public sealed record KubectlResult(int ExitCode, string Output, string Error);

/// <summary>Runs the real kubectl against a test cluster, with its own discovery cache; the kubeconfig goes through
/// the <see cref="LoopbackGuard"/> first.</summary>
public sealed class Kubectl : IDisposable
{
    private readonly string _kubeConfig;
    private readonly string _cacheDirectory = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;

    public Kubectl(string kubeConfig)
    {
        LoopbackGuard.Load(kubeConfig);
        _kubeConfig = kubeConfig;
    }

    public async Task<KubectlResult> RunAsync(string[] arguments, string? input = null, TimeSpan? timeout = null)
    {
        var startInfo = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add($"--kubeconfig={_kubeConfig}");
        startInfo.ArgumentList.Add($"--cache-dir={_cacheDirectory}");
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(startInfo)!;
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

    /// <summary>Runs and requires exit code 0, returning stdout.</summary>
    public async Task<string> OutputAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments, null);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Error}");
        return result.Output;
    }

    public void Dispose() => Directory.Delete(_cacheDirectory, recursive: true);
}
