BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
    # The file is written through exec, so it exists before any test reads it (a running shell may not have written it yet).
    $script:pod = New-KPod -Image alpine -Command sleep -Argument 300
    $script:pod | Invoke-KPodCommand -Command sh, -c, 'echo hi > /tmp/greeting' | Out-Null
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

    It 'runs inside the container: its PID 1 is the container''s command' {
        ($script:pod | Invoke-KPodCommand -Command sh, -c, 'cat /proc/1/cmdline | tr "\0" " "' -Raw) | Should -Match '^sleep 300'
    }

    It 'sends -InputObject to stdin and closes it' {
        $script:pod | Invoke-KPodCommand -Command wc, -l -InputObject 'one', 'two', 'three' -Raw | ForEach-Object Trim | Should -Be '3'
    }

    It 'warns, naming the command and the pod, of output that is not UTF-8' {
        $result = $script:pod | Invoke-KPodCommand -Command sh, -c, 'printf "a\377b\n"' -WarningVariable warned -WarningAction SilentlyContinue
        $result.StdOut | Should -Be "a$([char]0xFFFD)b`n"
        $warned | Should -HaveCount 1
        "$($warned[0])" | Should -BeLike "The output of 'sh -c printf ""a\377b\n""' in pod default/$($script:pod.Name) is not UTF-8*kubectl cp*"
    }

    It 'gives UTF-8 output beyond ASCII as it is, without a warning' {
        $script:pod | Invoke-KPodCommand -Command sh, -c, 'printf "caf\303\251\n"' -Raw -WarningVariable warned | Should -Be "caf$([char]0xE9)"
        $warned | Should -BeNullOrEmpty
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

    It 'reports a missing container as ContainerNotFound, naming the pod''s containers' {
        $err = { $script:pod | Invoke-KPodCommand -Container nope -Command true -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ContainerNotFound,*'
        $err.Exception.Message | Should -BeLike "Pod default/$($script:pod.Name) has no container 'nope'. Its containers are: base. Give one of them with -Container."
    }

    It 'waits for a container that has not started yet: a sidecar still pulling its image' {
        # An image of its own, so that no earlier pull has left it on the node.
        $name = New-TestName 'late'
        $manifest = "apiVersion: v1`nkind: Pod`nmetadata:`n  name: $name`nspec:`n  containers:`n  - name: base`n    image: alpine`n    command: ['true']`n" +
            "  - name: sidecar`n    image: registry.example/slow-pull/$($name):1`n    command: [sleep, '300']`n"
        $pod = New-KPod -Manifest $manifest
        try {
            $pod | Invoke-KPodCommand -Container sidecar -Command echo, ready -Raw | Should -Be 'ready'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'reports a container that has ended as ContainerNotRunning, with its exit code' {
        $pod = New-KPod -Image alpine -Command sh -Argument '-c', 'exit 3' | Wait-KPodCompletion -ErrorAction SilentlyContinue
        try {
            $err = { $pod | Invoke-KPodCommand -Command echo, hi -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'ContainerNotRunning,*'
            $err.Exception.Message | Should -BeLike "Container 'base' of pod default/$($pod.Name) is not running: it terminated with exit code 3 (Error).*"
            $err.Exception.Message | Should -Not -Match 'parameters'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'gives up with ContainerStartTimeout when the container does not run within -Timeout' {
        $pod = New-KPod -Image alpine -Command true -Cpu 64
        try {
            $err = { $pod | Invoke-KPodCommand -Command echo, hi -Timeout 1 -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'ContainerStartTimeout,*'
            $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'warns when -Command is a whole command line in one string' {
        $warnings = $script:pod | Invoke-KPodCommand -Command 'cat /tmp/greeting' -ErrorAction SilentlyContinue 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }
        $warnings.Message | Should -Be "-Command 'cat /tmp/greeting' is one string with spaces, which Kubernetes runs as a program of that whole name, not as a command line. Give the program and each argument apart (-Command 'cat' -Argument '/tmp/greeting'), or let a shell read the line (-Command sh -Argument '-c', 'cat /tmp/greeting')."
        $script:pod | Invoke-KPodCommand -Command 'cat' -Argument '/tmp/greeting' -Raw 3>&1 | Should -Be 'hi'
        $script:pod | Invoke-KPodCommand -Command sh -Argument '-c', 'cat /tmp/greeting' -Raw 3>&1 | Should -Be 'hi'
    }
}
