namespace PodManager.Engine.Watching;

/// <summary>
/// What a <see cref="PodReflector"/> follows, from the cheapest to the last resort. RBAC decides: a Role without
/// namespace-wide <c>list</c>/<c>watch</c> on pods may still allow them for one name (the API server authorizes a
/// <c>metadata.name=</c> field selector as a request for that name), and one with neither still allows <c>get</c>.
/// </summary>
internal enum WatchScope
{
    /// <summary>One list and watch of every pod in the namespace, shared by every wait.</summary>
    Namespace,

    /// <summary>A list and watch of one pod (<c>fieldSelector=metadata.name=NAME</c>), per pod waited on.</summary>
    SinglePod,

    /// <summary>A GET of one pod every <see cref="PodManagerOptions.PollInterval"/>.</summary>
    Polling,
}
