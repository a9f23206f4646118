BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
}

Describe 'Wait-KPodCompletion' {
    It 'returns the Succeeded pod with exit code 0 and reason Completed' {
        $pod = New-KPod -Image alpine -Command sh -Argument '-c', 'sleep 1; echo ok' | Wait-KPodCompletion
        try {
            $pod.Phase | Should -Be 'Succeeded'
            $pod.ExitCode | Should -Be 0
            $pod.Status | Should -Be 'Completed'
            $pod.Containers[0].Reason | Should -Be 'Completed'
            $pod.Containers[0].FinishedAt | Should -Not -BeNullOrEmpty
        }
        finally {
            $pod | Remove-KPod
        }
    }

    It 'waits by -Name and -Namespace' {
        $name = New-TestName
        New-KPod -Name $name -Namespace kube-system -Image alpine -Command sh -Argument '-c', 'exit 7' | Out-Null
        try {
            $pod = Wait-KPodCompletion -Name $name -Namespace kube-system -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'PodFailed,*'
            $failed[0].TargetObject.Name | Should -Be $name
            $pod.Name | Should -Be $name
            $pod.Phase | Should -Be 'Failed'
            $pod.ExitCode | Should -Be 7
        }
        finally {
            Remove-KPod -Name $name -Namespace kube-system
        }
    }

    It 'binds Name and Namespace by property name from any object' {
        $name = New-TestName
        New-KPod -Name $name -Image alpine -Command true | Out-Null
        try {
            $pod = [pscustomobject]@{ Name = $name; Namespace = 'default' } | Wait-KPodCompletion
            $pod.Phase | Should -Be 'Succeeded'
        }
        finally {
            Remove-KPod -Name $name
        }
    }

    It 'waits for several piped pods' {
        $pods = 1..3 | ForEach-Object { New-KPod -Image alpine -Command sh -Argument '-c', "exit $_" }
        try {
            $done = $pods | Wait-KPodCompletion -ErrorVariable failed -ErrorAction SilentlyContinue
            $done.ExitCode | Should -Be @(1, 2, 3)
            $failed | Should -HaveCount 3
        }
        finally {
            $pods | Remove-KPod
        }
    }

    It 'fails with PodCompletionTimeout when -Timeout passes, and leaves the pod alone' {
        $pod = New-KPod -Image alpine -Command sleep -Argument 60 | Wait-KPodStart
        try {
            $err = { $pod | Wait-KPodCompletion -Timeout ([TimeSpan]::FromSeconds(2)) -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'PodCompletionTimeout,*'
            $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
            $err.TargetObject.Name | Should -Be $pod.Name
            (Get-ClusterPod -Name $pod.Name).status.phase | Should -Be 'Running'
        }
        finally {
            $pod | Remove-KPod -GracePeriod 0
        }
    }

    It 'reports a missing pod as PodNotFound' {
        $err = { Wait-KPodCompletion -Name 'no-such-pod' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'PodNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.Exception.Message | Should -Match "'no-such-pod'"
    }

    It 'reports a pod deleted while waiting as PodNotFound' {
        $pod = New-KPod -Image alpine -Command sleep -Argument 60
        $waiting = Start-InRunspace 'param($pod) $pod | Wait-KPodCompletion' -ArgumentList $pod
        try {
            # Deleted only once the wait has the pod, so it is deleted while waited for, whatever the load.
            Wait-InRunspaceProgress $waiting
            $pod | Remove-KPod -GracePeriod 0
            Complete-InRunspace $waiting | Should -BeNullOrEmpty
            $waiting.PowerShell.Streams.Error | Should -HaveCount 1
            $waiting.PowerShell.Streams.Error[0].FullyQualifiedErrorId | Should -BeLike 'PodNotFound,*'
        }
        finally {
            Stop-InRunspace $waiting
        }
    }

    It 'fails with PodLaunchTimeout and the scheduler''s reason when no node takes the pod within -ScheduleTimeout' {
        $pod = New-KPod -Image alpine -Command true -NodeSelector @{ disktype = 'none-such' }
        try {
            # The scheduler's verdict first, so the timeout cannot come before it however loaded the machine.
            Invoke-Kubectl wait --for=condition=PodScheduled=False "pod/$($pod.Name)" --timeout=120s | Out-Null
            $err = { $pod | Wait-KPodCompletion -ScheduleTimeout 1s -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'PodLaunchTimeout,*'
            $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
            $err.TargetObject.Name | Should -Be $pod.Name
            $err.Exception.Diagnosis.Reason | Should -Be 'Unschedulable'
            $err.Exception.Diagnosis.Message | Should -Match "didn't match Pod's node affinity/selector"
            $err.Exception.Diagnosis.Warnings.Reason | Should -Contain 'FailedScheduling'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'refuses a negative -ScheduleTimeout' {
        $err = { Wait-KPodCompletion -Name x -ScheduleTimeout ([TimeSpan]::FromSeconds(-1)) -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidParameterValue,*'
    }

    It 'refuses a non-positive -Timeout' {
        $err = { Wait-KPodCompletion -Name x -Timeout ([TimeSpan]::Zero) -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidParameterValue,*'
    }

    It 'streams the log to the Information stream while waiting with -ShowLogs' {
        $pod = New-KPod -Image alpine -Command sh -Argument '-c', 'echo first; sleep 0.5; echo second'
        try {
            $done = $pod | Wait-KPodCompletion -ShowLogs -InformationVariable shown
            $done.Phase | Should -Be 'Succeeded'
            ($shown.MessageData | ForEach-Object Message) | Should -Be @('first', 'second')
            $shown[0].Tags | Should -Contain 'Log'
        }
        finally {
            $pod | Remove-KPod
        }
    }

    It 'waits for one container with -Container while the others run on' {
        $pod = New-KPod -Manifest @{
            spec = @{ containers = @(
                    @{ name = 'base'; image = 'alpine'; command = @('sleep', '300') }
                    @{ name = 'job'; image = 'alpine'; command = @('sh', '-c', 'sleep 1; exit 0') }
                ) }
        }
        try {
            $done = $pod | Wait-KPodCompletion -Container job
            ($done.Containers | Where-Object Name -EQ 'job').State | Should -Be 'Terminated'
            ($done.Containers | Where-Object Name -EQ 'base').State | Should -Not -Be 'Terminated'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'refuses a -Container the pod does not have with ContainerNotFound listing its containers, instead of waiting on the phase' {
        $pod = New-KPod -Image alpine -Command sleep -Argument 300
        try {
            $err = { $pod | Wait-KPodCompletion -Container jobb -Timeout 120 -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'ContainerNotFound,*'
            $err.Exception.Message | Should -Match "has no container 'jobb'\. Its containers are: base\."
            ($pod | Get-KPod).Phase | Should -Not -Be 'Succeeded' -Because 'the wait failed at once, not when the pod ended'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'reports progress while waiting, and completes it' {
        $ps = [PowerShell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:PODMANAGER_TEST_MODULE'; `$p = New-KPod -Image alpine -Command sh -Argument '-c', 'sleep 1'; `$p | Wait-KPodCompletion | Out-Null; `$p | Remove-KPod")
            $ps.Invoke() | Out-Null
            $ps.HadErrors | Should -BeFalse
            $progress = @($ps.Streams.Progress)
            $progress.Count | Should -BeGreaterThan 1
            $progress[0].Activity | Should -BeLike 'Waiting for the completion of pod default/*'
            $progress[0].StatusDescription | Should -Match 'elapsed'
            $progress[-1].RecordType | Should -Be 'Completed'
        }
        finally {
            $ps.Dispose()
        }
    }
}
