namespace PodManager.TestCluster.Kubelet;

/// <summary>The kubelet's getPhase (pkg/kubelet/kubelet_pods.go), over the container records.</summary>
internal static class PodPhaseCalculator
{
    public static string Compute(string restartPolicy, PodRuntime runtime)
    {
        var pendingRegularInit = 0;
        var failedInitialization = 0;
        var pendingSidecars = 0;
        int unknown = 0, running = 0, waiting = 0, stopped = 0, succeeded = 0;

        foreach (var init in runtime.InitContainers.Where(c => c.Role == ContainerRole.Init))
        {
            var state = init.State;
            if (state.Running is not null)
            {
                pendingRegularInit++;
            }
            else if (state.Terminated is { } terminated)
            {
                failedInitialization += terminated.ExitCode != 0 ? 1 : 0;
            }
            else if (init.LastTerminated is { } last)
            {
                failedInitialization += last.ExitCode != 0 ? 1 : 0;
            }
            else
            {
                pendingRegularInit++;
            }
        }

        foreach (var sidecar in runtime.InitContainers.Where(c => c.Role == ContainerRole.Sidecar))
        {
            if (sidecar.State.Running is not null)
            {
                pendingSidecars += sidecar.Started ? 0 : 1;
                running++;
            }
            else if (sidecar.State.Waiting is not null && sidecar.LastTerminated is null)
            {
                pendingSidecars++;
                waiting++;
            }
        }

        foreach (var container in runtime.Containers)
        {
            var state = container.State;
            if (state.Running is not null)
            {
                running++;
            }
            else if (state.Terminated is { } terminated)
            {
                stopped++;
                succeeded += terminated.ExitCode == 0 ? 1 : 0;
            }
            else if (container.LastTerminated is not null)
            {
                stopped++;
            }
            else
            {
                waiting++;
            }
        }

        if (failedInitialization > 0 && restartPolicy == "Never")
        {
            return "Failed";
        }

        var anyRegularStarted = runtime.Containers.Any(c => c.State.Running is not null || c.State.Terminated is not null || c.LastTerminated is not null);
        if (pendingRegularInit > 0 || (pendingSidecars > 0 && !anyRegularStarted) || waiting > 0)
        {
            return "Pending";
        }

        if (running > 0 && unknown == 0)
        {
            return "Running";
        }

        if (running == 0 && stopped > 0)
        {
            if (runtime.Terminating)
            {
                return stopped == succeeded ? "Succeeded" : "Failed";
            }

            if (restartPolicy == "Always")
            {
                return "Running";
            }

            if (stopped == succeeded)
            {
                return "Succeeded";
            }

            return restartPolicy == "Never" ? "Failed" : "Running";
        }

        return "Pending";
    }
}
