# The fault matrix: each fault kind of the test cluster that can be aimed at one pod, crossed with the three consumers
# of a log (Invoke-KPod -ShowLogs, Wait-KPodCompletion -ShowLogs, Get-KPodLog -Follow), all at once in one session:
# every numbered line exactly once and in order, the right phase and exit code, the right error id, no pod left.
# Faults of the whole cluster (closed and expired watches, outages, a killed cluster) are in Resilience.Tests.ps1,
# DeadCluster.Tests.ps1 and the soak (docs/reliability.md).

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'FaultMatrix.Cases.ps1')
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestCluster.psm1') -Force
    Initialize-PodManagerTest
    . (Join-Path $PSScriptRoot 'FaultMatrix.Cases.ps1')

    $script:Runs = @{}
    $consumers = @{
        'Invoke-KPod -ShowLogs'         = {
            param($name, $script)
            $out = @(Invoke-KPod -Name $name -Image alpine -Command sh -Argument '-c', $script -ShowLogs -ErrorAction SilentlyContinue -ErrorVariable failed 6>&1)
            $result = $out | Where-Object { $_ -is [PodManager.KPodResult] }
            [pscustomobject]@{ Lines = @($out | Where-Object { $_ -is [Management.Automation.InformationRecord] } | ForEach-Object { "$($_.MessageData.Message)" }); Phase = "$($result.Phase)"; ExitCode = $result.ExitCode; Errors = @($failed | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }) }
        }
        'Wait-KPodCompletion -ShowLogs' = {
            param($name, $script)
            $pod = New-KPod -Name $name -Image alpine -Command sh -Argument '-c', $script
            $out = @($pod | Wait-KPodCompletion -ShowLogs -ErrorAction SilentlyContinue -ErrorVariable failed 6>&1)
            $pod | Remove-KPod
            $done = $out | Where-Object { $_ -is [PodManager.KPod] }
            [pscustomobject]@{ Lines = @($out | Where-Object { $_ -is [Management.Automation.InformationRecord] } | ForEach-Object { "$($_.MessageData.Message)" }); Phase = "$($done.Phase)"; ExitCode = $done.ExitCode; Errors = @($failed | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }) }
        }
        'Get-KPodLog -Follow'           = {
            param($name, $script)
            $pod = New-KPod -Name $name -Image alpine -Command sh -Argument '-c', $script
            $lines = @($pod | Get-KPodLog -Follow -Raw -ErrorAction SilentlyContinue -ErrorVariable failed)
            $done = $pod | Wait-KPodCompletion -ErrorAction SilentlyContinue -ErrorVariable failedWait
            $pod | Remove-KPod
            [pscustomobject]@{ Lines = $lines; Phase = "$($done.Phase)"; ExitCode = $done.ExitCode; Errors = @(@($failed) + @($failedWait) | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }) }
        }
    }

    # Every case at once, each on its own pod with its faults aimed at that pod's paths only.
    $printAll = 'for i in $(seq 1 200); do echo "line $i"; done; sleep 1; for i in $(seq 201 300); do echo "line $i"; done'
    $printAndWait = 'trap "exit 143" TERM; for i in $(seq 1 100); do echo "line $i"; done; while true; do sleep 0.1; done'
    $jobs = foreach ($case in $cases) {
        $name = New-TestName 'fault'
        $script:Runs[$case.Fault + $case.Consumer] = $run = @{ Name = $name; Case = $case }
        if ($case.Rule) {
            $rule = $case.Rule.Clone()
            $rule.Path = if ($rule.Path -eq 'log') { "/api/v1/namespaces/default/pods/$name/log" } else { "/api/v1/namespaces/default/pods/$name" }
            Add-TestClusterFault @rule
        }
        $run.Job = Start-ThreadJob -ThrottleLimit 64 -ArgumentList $env:PODMANAGER_TEST_MODULE, $consumers[$case.Consumer].ToString(), $name, $(if ($case.Mid) { $printAndWait } else { $printAll }) -ScriptBlock {
            param($module, $consumer, $name, $script)
            Import-Module $module
            & ([scriptblock]::Create($consumer)) $name $script
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
}

AfterAll {
    Clear-TestClusterFault
}

Describe 'Fault matrix' {
    It '<Consumer> under <Fault>' -ForEach $cases {
        $run = $script:Runs[$Fault + $Consumer]
        $run.State | Should -Be 'Completed' -Because 'the consumer ends'
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
