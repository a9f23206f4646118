BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
}

Describe 'Get-KPodLog' {
    BeforeAll {
        $script:pod = New-KPod -Image alpine -Command sh -Argument '-c', 'for i in 1 2 3; do echo "line $i"; done; printf "no newline"' |
            Wait-KPodCompletion
    }
    AfterAll {
        $script:pod | Remove-KPod
    }

    It 'outputs one KPodLogLine per line, the last one even without a newline' {
        $lines = $script:pod | Get-KPodLog
        $lines.Message | Should -Be @('line 1', 'line 2', 'line 3', 'no newline')
        $lines[0].Pod | Should -Be $script:pod.Name
        $lines[0].Namespace | Should -Be 'default'
        $lines[0].Container | Should -Be 'base'
    }

    It 'stamps every line with the kubelet''s nanosecond timestamp, in order' {
        $lines = $script:pod | Get-KPodLog
        foreach ($line in $lines) {
            $line.TimestampText | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$'
            $line.Timestamp | Should -BeOfType ([DateTimeOffset])
        }
        $lines.Timestamp | Should -Be ($lines.Timestamp | Sort-Object)
    }

    It 'prints the timestamp first with -Timestamps, as kubectl logs --timestamps' {
        $lines = $script:pod | Get-KPodLog -Timestamps
        "$($lines[0])" | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z line 1$'
        $lines[0].Message | Should -Be 'line 1'
    }

    It 'reads by -Name and -Container' {
        (Get-KPodLog -Name $script:pod.Name -Container base).Message | Should -Contain 'line 2'
    }

    It 'follows a running container until it ends, with every line once' {
        $running = New-KPod -Image alpine -Command sh -Argument '-c', 'for i in $(seq 1 20); do echo "tick $i"; sleep 0.1; done'
        try {
            $lines = $running | Get-KPodLog -Follow
            $lines.Message | Should -Be (1..20 | ForEach-Object { "tick $_" })
        }
        finally {
            $running | Remove-KPod
        }
    }

    It 'reports an unknown container as ContainerNotFound, listing the pod''s containers' {
        $err = { $script:pod | Get-KPodLog -Container nope -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ContainerNotFound,*'
        $err.Exception.Message | Should -Match 'base'
    }

    It 'reports a missing pod as PodNotFound' {
        $err = { Get-KPodLog -Name 'no-such-pod' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'PodNotFound,*'
    }
}
