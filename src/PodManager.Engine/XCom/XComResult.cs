namespace PodManager.Engine.XCom;

/// <summary>A pod's result: the JSON text it left (null for the empty-result sentinel), and anything worth a warning.</summary>
public sealed record XComResult(string? Json, IReadOnlyList<string> Warnings);
