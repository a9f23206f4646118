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

    public const string DefaultImage = "alpine";

    /// <summary>The sidecar idles until SIGINT, then exits 0 so the pod can complete.</summary>
    public const string SidecarCommand = "trap \"exit 0\" INT; while true; do sleep 1; done;";

    public const string ReadCommand = "if [ -s " + ResultFile + " ]; then cat " + ResultFile + "; else echo " + EmptyResult + "; fi";

    public const string KillCommand = "kill -s SIGINT 1";
}
