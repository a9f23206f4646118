# The fault matrix: each fault kind of the test cluster that can be aimed at one pod, crossed with the three consumers
# of a log (Invoke-KPod -ShowLogs, Wait-KPodCompletion -ShowLogs, Get-KPodLog -Follow), all at once in one session:
# every numbered line exactly once and in order, the right phase and exit code, the right error id, no pod left, and
# each fault aimed at a pod struck it.
# Then each fault of the whole cluster (every watch closed, the next watch expired, an outage, the cluster killed, the
# cluster killed and restarted on its port with a new CA), crossed with the same consumers, each fault on a cluster of
# its own so that it strikes nothing else. Each pod prints 100 numbered lines, waits for a
# release, then prints 100 more: the fault strikes once all three have printed their first 100.
# A fault the cluster rides out: every line exactly once and in order, Succeeded with exit code 0, no error, no pod left.
# A cluster that is gone: the first 100 lines exactly once and in order, then the error id that names what happened
# (ClusterUnreachable, CertificateRejected) from every cmdlet of the consumer, within PODMANAGER_UNREACHABLE_TIMEOUT.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'FaultMatrix.Cases.ps1')
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestCluster.psm1') -Force
    Initialize-PodManagerTest
    . (Join-Path $PSScriptRoot 'FaultMatrix.Cases.ps1')
}

Describe 'Fault matrix' {
    BeforeAll {
        $script:Runs = @{}

        # Every case at once, each on its own pod with its faults aimed at that pod's paths only.
        $printAll = 'for i in $(seq 1 200); do echo "line $i"; done; sleep 1; for i in $(seq 201 300); do echo "line $i"; done'
        $printAndWait = 'trap "exit 143" TERM; for i in $(seq 1 100); do echo "line $i"; done; while true; do sleep 0.1; done'
        $jobs = foreach ($case in $cases) {
            $name = New-TestName 'fault'
            $script:Runs[$case.Fault + $case.Consumer] = $run = @{ Name = $name; Case = $case }
            if ($case.Rule) {
                $rule = $case.Rule.Clone()
                $rule.Path = if ($rule.Path -eq 'log') { "/api/v1/namespaces/default/pods/$name/log" } else { "/api/v1/namespaces/default/pods/$name" }
                $run.Path = $rule.Path
                Add-TestClusterFault @rule
            }
            $run.Job = Start-ThreadJob -ThrottleLimit 64 -ArgumentList $env:PODMANAGER_TEST_MODULE, $consumers[$case.Consumer].ToString(), $name, $(if ($case.Mid) { $printAndWait } else { $printAll }) -ScriptBlock {
                param($module, $consumer, $name, $script)
                Import-Module $module
                & ([scriptblock]::Create($consumer)) $name $script @{}
            }
            $run
        }

        # The faults that strike mid-run come once the pod has printed its 100 lines (a state, polled with a deadline).
        foreach ($run in $jobs | Where-Object { $_.Case.Mid }) {
            $deadline = [DateTime]::UtcNow.AddMinutes(3)
            while ((& kubectl --kubeconfig $env:KUBECONFIG logs $run.Name --tail=1 2>$null) -ne 'line 100') {
                if ([DateTime]::UtcNow -gt $deadline) { throw "Pod $($run.Name) did not print its 100 lines." }
                Start-Sleep -Milliseconds 200
            }
            if ($run.Case.Mid -eq 'terminate') { Stop-TestClusterContainer -Pod $run.Name } else { Invoke-TestClusterEviction -Pod $run.Name }
        }

        foreach ($run in $jobs) {
            $run.Job | Wait-Job -Timeout 600 | Out-Null
            $run.State = $run.Job.State
            $run.Outcome = $run.Job | Receive-Job -ErrorAction Continue
            $run.Job | Remove-Job -Force
        }

        # A rule that kept every use aimed at its pod never struck: the case would then prove nothing.
        $active = @(Get-TestClusterFault)
        foreach ($run in $jobs | Where-Object { $_.Case.Rule }) {
            $run.Unstruck = @($active | Where-Object { $_.rule.path -eq $run.Path -and $_.remaining -eq $run.Case.Rule.Count })
        }
    }

    AfterAll {
        Clear-TestClusterFault
    }

    It '<Consumer> under <Fault>' -ForEach $cases {
        $run = $script:Runs[$Fault + $Consumer]
        $run.State | Should -Be 'Completed' -Because 'the consumer ends'
        if ($Rule) { $run.Unstruck | Should -BeNullOrEmpty -Because 'the fault aimed at the pod struck it' }
        $outcome = $run.Outcome
        $expected = if ($Mid) { 1..100 | ForEach-Object { "line $_" } } else { 1..300 | ForEach-Object { "line $_" } }
        $outcome.Lines | Should -Be $expected -Because 'every line arrives exactly once, in order'
        $outcome.Phase | Should -Be $(if ($Phase) { $Phase } else { 'Succeeded' })
        if ($Mid) {
            if ($ExitCode) { $outcome.ExitCode | Should -Be $ExitCode }
            if ($Consumer -ne 'Get-KPodLog -Follow') { $outcome.Errors | Should -Contain 'PodFailed' }
            $outcome.Errors | Where-Object { $_ -ne 'PodFailed' } | Should -BeNullOrEmpty
        }
        else {
            $outcome.ExitCode | Should -Be 0
            $outcome.Errors | Should -BeNullOrEmpty
        }
        Get-ClusterPod -Name $run.Name | Where-Object { -not $_.metadata.deletionTimestamp } | Should -BeNullOrEmpty -Because 'no pod is left'
    }
}

Describe 'Fault matrix, faults of the whole cluster' {
    BeforeAll {
        $script:ClusterRuns = @{}
        $release = Get-ReleaseWaitScript
        $script = "for i in `$(seq 1 100); do echo `"line `$i`"; done; $release; for i in `$(seq 101 200); do echo `"line `$i`"; done"
        $sharedKubeConfig = $env:KUBECONFIG
        foreach ($fault in $clusterFaults) {
            $cluster = Start-PrivateTestCluster
            $port = ([Uri] (Select-String -Path $cluster.KubeConfig -Pattern '^\s*server:\s*(\S+)').Matches[0].Groups[1].Value).Port
            # The fault API of TestCluster.psm1 speaks to the cluster of $env:KUBECONFIG.
            $env:KUBECONFIG = $cluster.KubeConfig
            # Read when the engine for a kubeconfig is made (by the consumer's first cmdlet): a gone cluster is given up after
            # 2 s. Not for the restart, which must be waited for however long the new cluster takes to start on a loaded machine.
            if ($fault.Strike -eq 'kill') { $env:PODMANAGER_UNREACHABLE_TIMEOUT = '2s' }
            try {
                $runs = foreach ($consumer in 'Invoke-KPod -ShowLogs', 'Wait-KPodCompletion -ShowLogs', 'Get-KPodLog -Follow') {
                    $name = New-TestName 'cluster-fault'
                    $run = $script:ClusterRuns[$fault.Fault + $consumer] = @{ Name = $name }
                    $run.Job = Start-ThreadJob -ThrottleLimit 64 -ArgumentList $env:PODMANAGER_TEST_MODULE, $consumers[$consumer].ToString(), $name, $script, $cluster.KubeConfig -ScriptBlock {
                        param($module, $consumer, $name, $script, $kubeconfig)
                        Import-Module $module
                        & ([scriptblock]::Create($consumer)) $name $script @{ KubeConfig = $kubeconfig }
                    }
                    $run
                }

                # The fault strikes once every pod has printed its first 100 lines (a state, polled with a deadline).
                foreach ($run in $runs) {
                    $deadline = [DateTime]::UtcNow.AddMinutes(3)
                    while ((& kubectl --kubeconfig $cluster.KubeConfig logs $run.Name --tail=1 2>$null) -ne 'line 100') {
                        if ([DateTime]::UtcNow -gt $deadline) { throw "Pod $($run.Name) did not print its 100 lines: $($run.Job | Receive-Job -Keep | Out-String)" }
                        Start-Sleep -Milliseconds 200
                    }
                }
                $watchesBefore = (Get-TestClusterRequestCount)['watch pods']
                switch ($fault.Strike) {
                    'close' { Close-TestClusterWatch }
                    'expire' { Close-TestClusterWatch -ExpireNext }
                    'outage' { Start-TestClusterOutage -Seconds 3; Wait-TestClusterAvailable }
                    'kill' { Stop-PrivateTestCluster -Cluster $cluster }
                    'restart' {
                        Stop-PrivateTestCluster -Cluster $cluster
                        $cluster = Start-PrivateTestCluster -ExtraArguments '--port', $port
                    }
                }
                if (-not $fault.ErrorId) {
                    foreach ($run in $runs) { Send-PodRelease -Pod @{ Namespace = 'default'; Name = $run.Name } -KubeConfig $cluster.KubeConfig }
                }
                foreach ($run in $runs) {
                    $run.Job | Wait-Job -Timeout 300 | Out-Null
                    $run.State = $run.Job.State
                    $run.Outcome = $run.Job | Receive-Job -ErrorAction Continue
                    $run.Job | Remove-Job -Force
                    if (-not $fault.ErrorId) { $run.Left = @(Get-ClusterPod -Name $run.Name | Where-Object { -not $_.metadata.deletionTimestamp }) }
                }
                if ($fault.Strike -in 'close', 'expire') {
                    $watchesAfter = (Get-TestClusterRequestCount)['watch pods']
                    foreach ($run in $runs) { $run.WatchesAfterStrike = $watchesAfter - $watchesBefore }
                }
            }
            finally {
                Remove-Item Env:PODMANAGER_UNREACHABLE_TIMEOUT -ErrorAction Ignore
                $env:KUBECONFIG = $sharedKubeConfig
                Stop-PrivateTestCluster -Cluster $cluster
            }
        }
    }

    It '<Consumer> under <Fault>' -ForEach $clusterCases {
        $run = $script:ClusterRuns[$Fault + $Consumer]
        $run.State | Should -Be 'Completed' -Because 'the consumer ends'
        $outcome = $run.Outcome
        if ($ErrorId) {
            $outcome.Lines | Should -Be (1..100 | ForEach-Object { "line $_" }) -Because 'every line printed before the cluster went arrives exactly once, in order'
            $outcome.Errors | Should -Not -BeNullOrEmpty
            $outcome.Errors | Where-Object { $_ -ne $ErrorId } | Should -BeNullOrEmpty -Because "each cmdlet says the cluster is gone ($ErrorId)"
        }
        else {
            $outcome.Lines | Should -Be (1..200 | ForEach-Object { "line $_" }) -Because 'every line arrives exactly once, in order'
            $outcome.Phase | Should -Be 'Succeeded'
            $outcome.ExitCode | Should -Be 0
            $outcome.Errors | Should -BeNullOrEmpty
            $run.Left | Should -BeNullOrEmpty -Because 'no pod is left'
            if ($Strike -in 'close', 'expire') { $run.WatchesAfterStrike | Should -BeGreaterThan 0 -Because 'the watch was struck and opened again' }
        }
    }
}
