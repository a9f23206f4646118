namespace PodManager;

public static class PodPhaseExtensions
{
    /// <summary>The phases a pod never leaves: Airflow's <c>PodPhase.terminal_states</c>.</summary>
    public static IReadOnlyList<PodPhase> TerminalStates { get; } = [PodPhase.Succeeded, PodPhase.Failed];

    public static bool IsTerminal(this PodPhase phase) => phase is PodPhase.Succeeded or PodPhase.Failed;
}
