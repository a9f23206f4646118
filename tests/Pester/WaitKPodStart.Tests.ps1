BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
}

Describe 'Wait-KPodStart' {
    It 'returns the pod once it has left Pending' {
        $pod = New-KPod -Image alpine -Command sleep -Argument 300 | Wait-KPodStart
        try {
            $pod.Phase | Should -Be 'Running'
            $pod.Node | Should -Not -BeNullOrEmpty
            $pod.StartTime | Should -Not -BeNullOrEmpty
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'fails fast with PodLaunchFailed and a diagnosis for an image that does not exist' {
        $pod = New-KPod -Image 'registry.example/team/does-not-exist:1.0' -Command true
        try {
            $err = { $pod | Wait-KPodStart -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'PodLaunchFailed,*'
            $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $err.TargetObject.Name | Should -Be $pod.Name
            $diagnosis = $err.Exception.Diagnosis
            $diagnosis.Reason | Should -BeIn 'ErrImagePull', 'ImagePullBackOff'
            $diagnosis.Container | Should -Be 'base'
            $diagnosis.Message | Should -Match 'does-not-exist'
            $diagnosis.Warnings.Reason | Should -Contain 'Failed'
            $err.Exception.Message | Should -Match 'Image cannot be pulled'
            $err.ErrorDetails.RecommendedAction | Should -Match 'image'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'fails with PodLaunchTimeout at the schedule timeout, quoting the scheduler, for a pod no node can take' {
        $pod = New-KPod -Image alpine -Command true -Cpu 64
        try {
            # The scheduler's verdict first, so the timeout cannot come before it however loaded the machine.
            Invoke-Kubectl wait --for=condition=PodScheduled=False "pod/$($pod.Name)" --timeout=120s | Out-Null
            $err = { $pod | Wait-KPodStart -ScheduleTimeout 2 -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'PodLaunchTimeout,*'
            $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
            $err.Exception.Message | Should -Match 'Pod took too long to be scheduled on the cluster, giving up. More than 2s.'
            $err.Exception.Diagnosis.Reason | Should -Be 'Unschedulable'
            $err.Exception.Diagnosis.Message | Should -Match '0/1 nodes are available: 1 Insufficient cpu'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'accepts durations as seconds, with units, or as a TimeSpan' {
        $pod = New-KPod -Image alpine -Command sleep -Argument 300
        try {
            ($pod | Wait-KPodStart -ScheduleTimeout '1m' -StartupTimeout ([TimeSpan]::FromMinutes(1))).Phase | Should -Be 'Running'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'refuses a duration it cannot read, naming the forms it takes' {
        $err = { Wait-KPodStart -Name x -ScheduleTimeout 'soon' } | Should -Throw -PassThru
        $err.Exception.Message | Should -Match '90s, 5m, 1h'
    }
}
