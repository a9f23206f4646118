BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
}

Describe 'Remove-KPod' {
    It 'deletes a running pod and, with -Wait, returns once it is gone' {
        $pod = New-KPod -Image alpine -Command sleep -Argument 300
        $pod | Remove-KPod -GracePeriod 1 -Wait
        Get-ClusterPod -Name $pod.Name | Should -BeNullOrEmpty
    }

    It 'removes by -Name' {
        $name = New-TestName
        New-KPod -Name $name -Image alpine -Command true | Wait-KPodCompletion | Out-Null
        Remove-KPod -Name $name -Wait
        Get-ClusterPod -Name $name | Should -BeNullOrEmpty
    }

    It 'treats a pod that is already gone as done, without an error' {
        { Remove-KPod -Name 'no-such-pod' -ErrorAction Stop } | Should -Not -Throw
    }

    It 'keeps the pod with -WhatIf' {
        $pod = New-KPod -Image alpine -Command sleep -Argument 300
        try {
            $pod | Remove-KPod -WhatIf
            Get-ClusterPod -Name $pod.Name | Should -Not -BeNullOrEmpty
        }
        finally {
            $pod | Remove-KPod -GracePeriod 0
        }
    }

    It 'honours -GracePeriod: the container gets SIGTERM and ends on its own terms' {
        $pod = New-KPod -Image alpine -Command sh -Argument '-c', 'trap "echo got TERM; exit 0" TERM; echo ready; while true; do sleep 0.2; done'
        $ready = [System.Threading.ManualResetEventSlim]::new()
        $follower = Start-ThreadJob {
            Import-Module $using:env:PODMANAGER_TEST_MODULE
            $using:pod | Get-KPodLog -Follow | ForEach-Object { $_.Message; if ($_.Message -eq 'ready') { ($using:ready).Set() } }
        }
        try {
            $ready.Wait([TimeSpan]::FromSeconds(60)) | Should -BeTrue
            $pod | Remove-KPod -GracePeriod 20 -Wait
            Get-ClusterPod -Name $pod.Name | Should -BeNullOrEmpty
            $follower | Wait-Job -Timeout 60 | Receive-Job | Should -Be @('ready', 'got TERM')
        }
        finally {
            $follower | Remove-Job -Force
        }
    }

    It 'stops a follow cleanly when the pipeline downstream has enough' {
        $pod = New-KPod -Image alpine -Command sh -Argument '-c', 'echo first; sleep 300'
        try {
            ($pod | Get-KPodLog -Follow | Select-Object -First 1).Message | Should -Be 'first'
        }
        finally {
            $pod | Remove-KPod -GracePeriod 0
        }
    }

    It 'refuses a negative -GracePeriod' {
        { Remove-KPod -Name x -GracePeriod -1 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,PodManager.Commands.RemoveKPodCmdlet'
    }

    It 'applies a finish action on a fresh read with -OnFinishAction' {
        $failed = New-KPod -Image alpine -Command false | Wait-KPodCompletion -ErrorAction SilentlyContinue
        $running = New-KPod -Image alpine -Command sleep -Argument 300 | Wait-KPodStart
        try {
            $failed, $running | Remove-KPod -OnFinishAction DeleteSucceededPod -Wait
            Get-ClusterPod -Name $failed.Name | Should -Not -BeNullOrEmpty
            Get-ClusterPod -Name $running.Name | Should -Not -BeNullOrEmpty
            $failed, $running | Remove-KPod -OnFinishAction DeleteActivePod -Force -Wait
            Get-ClusterPod -Name $running.Name | Should -BeNullOrEmpty
            Get-ClusterPod -Name $failed.Name | Should -Not -BeNullOrEmpty
        }
        finally {
            $failed, $running | Remove-KPod -Force
        }
    }

    It 'deletes at once with -Force, even a container that ignores SIGTERM' {
        $pod = New-KPod -Image alpine -Command sh -Argument '-c', 'trap "" TERM; while true; do sleep 1; done' | Wait-KPodStart
        $pod | Remove-KPod -Force -Wait -Timeout 20
        Get-ClusterPod -Name $pod.Name | Should -BeNullOrEmpty
    }

    It 'gives up waiting with PodDeleteTimeout when -Timeout passes, leaving the deletion under way' {
        $pod = New-KPod -Image alpine -Command sh -Argument '-c', 'trap "" TERM; while true; do sleep 1; done' | Wait-KPodStart
        try {
            $err = { $pod | Remove-KPod -GracePeriod 30 -Wait -Timeout 1 -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'PodDeleteTimeout,*'
            (Get-ClusterPod -Name $pod.Name).metadata.deletionTimestamp | Should -Not -BeNullOrEmpty
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }
}
