namespace PodManager.Commands.Pipeline;

/// <summary>
/// Writes what each input of a command produced, either as soon as it is ready or, with <c>preserveOrder</c>
/// (Invoke-KPod -PreserveOrder), in input order: an input's writes then wait until every earlier input that is still
/// running has written its own. Inputs that never started (rejected, or skipped by -WhatIf) hold nothing up. Used on
/// the pipeline thread only.
/// </summary>
internal sealed class InputOrder(bool preserveOrder)
{
    private readonly SortedSet<int> running = [];
    private readonly SortedDictionary<int, Action> ready = [];

    public void Started(int index) => running.Add(index);

    /// <summary>Input <paramref name="index"/> has finished; <paramref name="write"/> writes its output and errors, now or in its turn.</summary>
    public void Finished(int index, Action write)
    {
        running.Remove(index);
        if (!preserveOrder)
        {
            write();
            return;
        }

        ready[index] = write;
        while (ready.Count > 0 && (running.Count == 0 || ready.Keys.First() < running.Min))
        {
            var next = ready.First();
            ready.Remove(next.Key);
            next.Value();
        }
    }
}
