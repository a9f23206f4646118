BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
    # Running is not enough: the commands below read /tmp/greeting, so wait until the container says it wrote it.
    $script:pod = New-KPod -Image alpine -Command sh -Argument '-c', 'echo hi > /tmp/greeting; echo ready; sleep 300'
    $script:pod | Get-KPodLog -Follow | Select-Object -First 1 | Out-Null
}

AfterAll {
    $script:pod | Remove-KPod -Force
}

Describe 'Invoke-KPodCommand' {
    It 'runs a command in the container and returns its exit code and output' {
        $result = $script:pod | Invoke-KPodCommand -Command sh, -c, 'cat /tmp/greeting; echo warn >&2'
        $result | Should -BeOfType ([PodManager.KExecResult])
        $result.ExitCode | Should -Be 0
        $result.StdOut | Should -Be "hi`n"
        $result.StdErr | Should -Be "warn`n"
        $result.Container | Should -Be 'base'
    }

    It 'runs inside the container: its PID 1 is the container''s command (the shell may have exec''d its last command)' {
        ($script:pod | Invoke-KPodCommand -Command sh, -c, 'cat /proc/1/cmdline | tr "\0" " "' -Raw) | Should -Match '^(sh -c echo hi|sleep 300)'
    }

    It 'sends -InputObject to stdin and closes it' {
        $script:pod | Invoke-KPodCommand -Command wc, -l -InputObject 'one', 'two', 'three' -Raw | ForEach-Object Trim | Should -Be '3'
    }

    It 'writes only the stdout lines with -Raw' {
        $script:pod | Invoke-KPodCommand -Command sh, -c, 'printf "a\nb\n"' -Raw | Should -Be @('a', 'b')
    }

    It 'reports a non-zero exit as a CommandFailed error after the result' {
        $result = $script:pod | Invoke-KPodCommand -Command sh, -c, 'echo broken >&2; exit 4' -ErrorVariable failed -ErrorAction SilentlyContinue
        $result.ExitCode | Should -Be 4
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'CommandFailed,*'
        $failed[0].Exception.Message | Should -Match 'broken'
    }

    It 'runs by -Name and -Container' {
        (Invoke-KPodCommand -Name $script:pod.Name -Container base -Command echo, hello).StdOut | Should -Be "hello`n"
    }

    It 'reports a missing container as an error naming the pod''s containers' {
        $err = { $script:pod | Invoke-KPodCommand -Container nope -Command true -ErrorAction Stop } | Should -Throw -PassThru
        $err.Exception.Message | Should -Match 'nope'
    }
}
