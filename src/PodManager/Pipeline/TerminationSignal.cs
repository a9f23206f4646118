using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace PodManager.Commands.Pipeline;

/// <summary>
/// SIGTERM (what <c>timeout</c>, CI cancellation, systemd, <c>docker stop</c> and the kubelet send) would end pwsh at once and
/// leave every pod of the work in flight running. While PodManager work runs, the signal stops that work as Ctrl+C does (the
/// pods it created are deleted as on Ctrl+C), waits for it up to <see cref="Grace"/>, then ends the process with exit code 143
/// (128 + SIGTERM), as the signal would have. With no work running the signal keeps its default effect.
/// </summary>
internal static class TerminationSignal
{
    /// <summary>How long the work may take to clean up: within the 10 s that <c>docker stop</c> and most runners give before SIGKILL.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private const int ExitCode = 128 + 15;

    private static readonly ConcurrentDictionary<Task, CancellationTokenSource> Running = new();
    private static readonly Lazy<PosixSignalRegistration?> Registration = new(Register);
    private static readonly TaskCompletionSource CleanedUp = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static int terminating;

    /// <summary>Whether SIGTERM has stopped the work, so a cmdlet whose work ended must not hand control back to the script.</summary>
    public static bool IsTerminating => Volatile.Read(ref terminating) == 1;

    /// <summary>
    /// Waits for the work still cleaning up (up to <see cref="Grace"/> since the signal) and ends the process with 143. Called
    /// from the pipeline thread of a cmdlet whose work SIGTERM stopped, so that the script does not go on, nor pwsh end with 0.
    /// </summary>
    public static void Exit()
    {
        CleanedUp.Task.Wait(Grace);
        Environment.Exit(ExitCode);
    }

    /// <summary>Has <paramref name="stopping"/> cancelled on SIGTERM for as long as <paramref name="work"/> runs.</summary>
    public static void Track(Task work, CancellationTokenSource stopping)
    {
        _ = Registration.Value;
        Running[work] = stopping;
        work.ContinueWith(static finished => Running.TryRemove(finished, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static PosixSignalRegistration? Register()
    {
        try
        {
            return PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnTerminate);
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }

    private static void OnTerminate(PosixSignalContext context)
    {
        var work = Running.ToArray();
        if (work.Length == 0)
        {
            return;
        }

        context.Cancel = true;
        Volatile.Write(ref terminating, 1);
        foreach (var (_, stopping) in work)
        {
            try
            {
                stopping.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // That cmdlet has ended already.
            }
        }

        _ = Task.Run(async () =>
        {
            await Task.WhenAny(Task.WhenAll(work.Select(w => w.Key)), Task.Delay(Grace)).ConfigureAwait(false);
            CleanedUp.TrySetResult();
            Environment.Exit(ExitCode);
        });
    }
}
