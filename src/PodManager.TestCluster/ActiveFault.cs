namespace PodManager.TestCluster;

/// <summary>A fault rule still active, with the uses it has left (GET /_testcluster/faults).</summary>
public sealed record ActiveFault(FaultRule Rule, int Remaining);
