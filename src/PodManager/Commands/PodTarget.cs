using PodManager.Engine;

namespace PodManager.Commands;

/// <summary>
/// One pod an input record names. <see cref="Resolve"/> finds its connection and namespace on the worker
/// thread, so that a connection that cannot be made is reported as this pod's error.
/// </summary>
/// <param name="ErrorTarget">What errors about it point at: the KPod, or the name.</param>
/// <param name="Text">namespace/name (or the name alone, when its namespace comes from the connection), for -WhatIf and progress.</param>
public sealed record PodTarget(object? ErrorTarget, string Text, Func<(IPodManager Manager, string Namespace, string Name)> Resolve);
