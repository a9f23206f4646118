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

    It 'writes the lines to Out-File as kubectl logs prints them, with no blank line' {
        $file = Join-Path $TestDrive 'out-file.txt'
        $script:pod | Get-KPodLog | Out-File $file
        Get-Content -Raw $file | Should -BeExactly "line 1`nline 2`nline 3`nno newline`n"
        $script:pod | Get-KPodLog | Out-String | Should -BeExactly "line 1`nline 2`nline 3`nno newline`n"
    }

    It 'shows the lines'' properties when asked with Select-Object or Format-Table -Force' {
        $script:pod | Get-KPodLog | Select-Object Container, Message | Out-String | Should -Match 'Container Message\s+-+ -+\s+base\s+line 1'
        $script:pod | Get-KPodLog | Format-Table Container, Message -Force | Out-String | Should -Match 'Container Message\s+-+ -+\s+base\s+line 1'
    }

    It 'reads a piped object with a Name but no Namespace in the default namespace, as -Name does' {
        (@{ Name = $script:pod.Name } | Get-KPodLog).Message | Should -Contain 'line 1'
        ([pscustomobject]@{ Name = $script:pod.Name } | Get-KPodLog).Message | Should -Contain 'line 1'
    }

    It 'says what a piped object lacks when it names no pod' {
        $err = { [pscustomobject]@{ metadata = 'notanobject' } | Get-KPodLog -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidParameterValue,*'
        $err.Exception.Message | Should -BeLike "The piped object's metadata is 'notanobject', not a pod's metadata with a name, so it names no pod.*"
    }

    It 'reads every pod a wildcard matches, and nothing (without an error) when none does' {
        (Get-KPodLog -Name "$($script:pod.Name.Substring(0, $script:pod.Name.Length - 3))*" -Tail 1).Message | Should -Contain 'no newline'
        Get-KPodLog -Name 'no-such-pod-*' -ErrorAction Stop | Should -BeNullOrEmpty
    }

    It 'reports a missing pod as PodNotFound' {
        $err = { Get-KPodLog -Name 'no-such-pod' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'PodNotFound,*'
    }

    It 'keeps the last lines with -Tail, and plain strings with -Raw' {
        $script:pod | Get-KPodLog -Tail 2 -Raw | Should -Be @('line 3', 'no newline')
        $script:pod | Get-KPodLog -Raw | ForEach-Object { $_ | Should -BeOfType ([string]) }
    }

    It 'reads only recent lines with -Since and -SinceTime' {
        # The API server keeps whole seconds of sinceTime: "late" is written only once the clock has left the second
        # "early" was stamped in (a wait for that state of the clock, which is what the test is about).
        $timed = New-KPod -Image alpine -Command sh -Argument '-c', "echo early; $(Get-ReleaseWaitScript); echo late"
        try {
            $early = ($timed | Get-KPodLog -Follow | Select-Object -First 1).Timestamp
            $next = [DateTimeOffset]::new($early.UtcTicks - ($early.UtcTicks % [TimeSpan]::TicksPerSecond), [TimeSpan]::Zero).AddSeconds(1)
            while ([DateTimeOffset]::UtcNow -lt $next) { Start-Sleep -Milliseconds ([Math]::Ceiling(($next - [DateTimeOffset]::UtcNow).TotalMilliseconds)) }
            Send-PodRelease $timed
            $timed = $timed | Wait-KPodCompletion
            ($timed | Get-KPodLog -SinceTime $next).Message | Should -Be 'late'
            ($timed | Get-KPodLog -Since '1h').Message | Should -Be @('early', 'late')
        }
        finally {
            $timed | Remove-KPod
        }
    }

    It 'reads every container, merged in time order, with -AllContainers' {
        # Each line is written only once the line before it is in the log (the test gives the cue through a marker file),
        # so their timestamps are in this order however far apart the containers start and however loaded the machine.
        $turns = @{ name = 'turns'; mountPath = '/turns' }
        $onCue = { param($marker, $line) "until [ -e /turns/$marker ]; do sleep 0.05; done; echo $line; " }
        $pod = New-KPod -Manifest @{
            spec = @{
                volumes        = @(@{ name = 'turns'; emptyDir = @{} })
                initContainers = @(@{ name = 'setup'; image = 'alpine'; command = @('sh', '-c', 'echo setting up') })
                containers     = @(
                    @{ name = 'base'; image = 'alpine'; volumeMounts = @($turns); command = @('sh', '-c', ((& $onCue 'base-one' 'base one') + (& $onCue 'base-two' 'base two'))) }
                    @{ name = 'helper'; image = 'alpine'; volumeMounts = @($turns); command = @('sh', '-c', (& $onCue 'helper-one' 'helper one')) }
                )
            }
        } | Wait-KPodStart
        try {
            foreach ($step in @{ Container = 'base'; Line = 'base one' }, @{ Container = 'helper'; Line = 'helper one' }, @{ Container = 'base'; Line = 'base two' }) {
                $pod | Invoke-KPodCommand -Container $step.Container -Command touch, "/turns/$($step.Line -replace ' ', '-')" | Out-Null
                $pod | Get-KPodLog -Container $step.Container -Follow | Where-Object Message -EQ $step.Line | Select-Object -First 1 | Out-Null
            }
            $pod = $pod | Wait-KPodCompletion
            ($pod | Get-KPodLog -AllContainers | ForEach-Object { "$($_.Container): $_" }) | Should -Be @('setup: setting up', 'base: base one', 'helper: helper one', 'base: base two')
            ($pod | Get-KPodLog -Container helper).Message | Should -Be 'helper one'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'leaves the XCom sidecar out of -AllContainers, so -Follow ends when the work ends' {
        $pod = New-KPod -XCom -Image alpine -Command sh -Argument '-c', 'echo working; echo ''{}'' > /airflow/xcom/return.json'
        $follow = [PowerShell]::Create()
        try {
            $null = $follow.AddScript("Import-Module '$env:PODMANAGER_TEST_MODULE'; Get-KPodLog -Name '$($pod.Name)' -AllContainers -Follow | ForEach-Object { `"`$(`$_.Container): `$_`" }")
            $running = $follow.BeginInvoke()
            # On a follow that included the idle sidecar this would wait until the result is read: never, here.
            $running.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(60)) | Should -BeTrue
            $follow.EndInvoke($running) | Should -Be 'base: working'
            ($pod | Get-KPod).Containers.Name | Should -Contain 'airflow-xcom-sidecar'
        }
        finally {
            $follow.Dispose()
            $pod | Remove-KPod -Force
        }
    }

    It 'fails a -Follow of a pod that can never start with PodLaunchFailed, as the waits do, instead of waiting for ever' {
        $pod = New-KPod -Image 'registry.example/team/does-not-exist:1.0' -Command true
        try {
            $err = { $pod | Get-KPodLog -Follow -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'PodLaunchFailed,*'
            $err.Exception.Diagnosis.Reason | Should -BeIn 'ErrImagePull', 'ImagePullBackOff'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'reads the run before a restart with -Previous' {
        $pod = New-KPod -Image alpine -Command sh -Argument '-c', 'echo "run $(cat /proc/uptime)"; exit 1' -RestartPolicy OnFailure
        try {
            $err = { $pod | Wait-KPodCompletion -Timeout 60 -ErrorAction Stop } | Should -Throw -PassThru
            $err.Exception.Diagnosis.Reason | Should -Be 'CrashLoopBackOff'
            ($pod | Get-KPodLog -Previous).Message | Should -Match '^run '
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'streams the log to a file with -OutFile, as kubectl logs prints it, and outputs nothing' {
        $pod = New-KPod -Image alpine -Command sh -Argument '-c', 'seq 1 2000; printf "unterminated"'
        try {
            $file = Join-Path $TestDrive 'log.txt'
            $pod | Get-KPodLog -Follow -OutFile $file | Should -BeNullOrEmpty
            $content = Get-Content $file
            $content.Count | Should -Be 2001
            $content[0] | Should -Be '1'
            $content[-1] | Should -Be 'unterminated'
            $pod | Get-KPodLog -Timestamps -OutFile $file
            (Get-Content $file -TotalCount 1) | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z 1$'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'writes the logs of several piped pods to one -OutFile, one after another' {
        $pods = 'first', 'second' | ForEach-Object { New-KPod -Image alpine -Command sh -Argument '-c', "echo $_ pod" } | Wait-KPodCompletion
        try {
            $file = Join-Path $TestDrive 'two.txt'
            $pods | Get-KPodLog -OutFile $file
            Get-Content $file | Should -Be @('first pod', 'second pod')
        }
        finally {
            $pods | Remove-KPod -Force
        }
    }

    It 'refuses -OutFile with several containers' {
        $err = { $script:pod | Get-KPodLog -AllContainers -OutFile (Join-Path $TestDrive 'x') -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidParameterValue,*'
    }

    It 'tells the level of each line, as the Airflow provider reads it' {
        $pod = New-KPod -Image alpine -Command sh -Argument '-c', 'echo "ERROR: disk full"; echo "[WARN] slow"; echo plain' | Wait-KPodCompletion
        try {
            ($pod | Get-KPodLog).Level | Should -Be @('ERROR', 'WARNING', 'INFO')
        }
        finally {
            $pod | Remove-KPod
        }
    }
}
