BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
}

Describe 'The first pipeline' {
    It 'runs a real pod, returns its logs as objects, and reports its failure exactly' {
        $output = New-KPod -Image alpine -Command sh -Argument '-c','echo hello; echo oops >&2; exit 3' |
         Wait-KPodCompletion -ErrorVariable failed -ErrorAction SilentlyContinue | Get-KPodLog

        $output | Should -HaveCount 2
        $output | ForEach-Object { $_ | Should -BeOfType ([PodManager.KPodLogLine]) }
        $output.Message | Should -Be @('hello', 'oops')
        "$($output[0])" | Should -Be 'hello'
        $output[0].Container | Should -Be 'base'
        $output[0].Timestamp | Should -Not -BeNullOrEmpty
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'PodFailed,*'
        $failed[0].Exception.Diagnosis.ExitCode | Should -Be 3
        Remove-KPod -Name $output[0].Pod -Namespace $output[0].Namespace
    }

    It 'outputs the final KPod from Wait-KPodCompletion with phase Failed and exit code 3' {
        $pod = New-KPod -Image alpine -Command sh -Argument '-c','echo hello; echo oops >&2; exit 3' | Wait-KPodCompletion -ErrorAction SilentlyContinue
        try {
            $pod | Should -BeOfType ([PodManager.KPod])
            $pod.Phase | Should -Be ([PodManager.PodPhase]::Failed)
            $pod.ExitCode | Should -Be 3
            $pod.Status | Should -Be 'Error'
            $pod.Containers[0].Name | Should -Be 'base'
            $pod.Containers[0].ExitCode | Should -Be 3
        }
        finally {
            $pod | Remove-KPod
        }
    }

    It 'removes the pod at the end of the pipeline so that none is left behind' {
        $name = New-TestName
        New-KPod -Name $name -Image alpine -Command sh -Argument '-c', 'echo done' | Wait-KPodCompletion | Remove-KPod -Wait
        Get-ClusterPod -Name $name | Should -BeNullOrEmpty
    }
}
