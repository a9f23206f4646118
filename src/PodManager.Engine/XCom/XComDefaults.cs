namespace PodManager.Engine.XCom;

/// <summary>The Airflow operator's XCom contract, kept exactly so existing images work unchanged.</summary>
public static class XComDefaults
{
    public const string SidecarName = "airflow-xcom-sidecar";

    public const string VolumeName = "xcom";

    public const string MountPath = "/airflow/xcom";

    public const string ResultFile = MountPath + "/return.json";

    /// <summary>What the sidecar answers when the base container wrote no result.</summary>
    public const string EmptyResult = "__airflow_xcom_result_empty__";

    /// <summary>
    /// Pinned, and fully qualified so runtimes that refuse short names (CRI-O's enforcing mode) pull it too. The
    /// operator's default is a bare <c>alpine</c>, whatever that tag points at on the day of the pull.
    /// </summary>
    public const string DefaultImage = "docker.io/library/alpine:3.22";

    /// <summary>The uid and gid the sidecar runs as: <c>nobody</c> in alpine and busybox images.</summary>
    public const long SidecarUser = 65534;

    /// <summary>The operator's requests (cpu 1m, memory 10Mi).</summary>
    public static IReadOnlyDictionary<string, string> DefaultRequests { get; } = new Dictionary<string, string> { ["cpu"] = "1m", ["memory"] = "10Mi" };

    /// <summary>
    /// Limits the operator does not set: a namespace whose ResourceQuota counts limits admits only containers that
    /// have them. An idle shell and one exec'd <c>cat</c> stay far below both.
    /// </summary>
    public static IReadOnlyDictionary<string, string> DefaultLimits { get; } = new Dictionary<string, string> { ["cpu"] = "100m", ["memory"] = "50Mi" };

    /// <summary>The sidecar idles until SIGINT, then exits 0 so the pod can complete.</summary>
    public const string SidecarCommand = "trap \"exit 0\" INT; while true; do sleep 1; done;";

    public const string ReadCommand = "if [ -s " + ResultFile + " ]; then cat " + ResultFile + "; else echo " + EmptyResult + "; fi";

    public const string KillCommand = "kill -s SIGINT 1";
}
