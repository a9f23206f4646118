BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestCluster.psm1') -Force
    Initialize-PodManagerTest
}

Describe 'Invoke-KPod' {
    It 'runs a pod end to end: result with XCom, exit code, duration, and the pod deleted by default' {
        $result = Invoke-KPod -Image alpine -Command sh -Argument '-c', 'echo working; echo ''{"count": 3}'' > /airflow/xcom/return.json' -XCom
        $result | Should -BeOfType ([PodManager.KPodResult])
        $result.Phase | Should -Be 'Succeeded'
        $result.ExitCode | Should -Be 0
        $result.XCom.count | Should -Be 3
        $result.XComJson | Should -Be '{"count": 3}'
        $result.Duration | Should -BeGreaterThan ([TimeSpan]::Zero)
        $result.Diagnosis | Should -BeNullOrEmpty
        $result.Deleted | Should -BeTrue
        Get-ClusterPod -Name $result.Name | Where-Object { -not $_.metadata.deletionTimestamp } | Should -BeNullOrEmpty
    }

    It 'writes the result and then a PodFailed error with the diagnosis for a pod that fails' {
        $result = Invoke-KPod -Image alpine -Command sh -Argument '-c', 'echo about to fail; exit 5' -ErrorVariable failed -ErrorAction SilentlyContinue
        $result.Phase | Should -Be 'Failed'
        $result.ExitCode | Should -Be 5
        $result.Diagnosis.ExitCode | Should -Be 5
        $result.Diagnosis.LastLogLines | Should -Contain 'about to fail'
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'PodFailed,*'
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidResult'
    }

    It 'stops a runbook with -ErrorAction Stop, and try/catch sees the reason' {
        $caught = $null
        try {
            Invoke-KPod -Image alpine -Command sh -Argument '-c', 'exit 9' -ErrorAction Stop | Out-Null
        }
        catch {
            $caught = $_
        }
        $caught.FullyQualifiedErrorId | Should -BeLike 'PodFailed,*'
        $caught.Exception.Diagnosis.ExitCode | Should -Be 9
    }

    It 'reports a launch failure as PodLaunchFailed, and cleans the pod up' {
        $result = Invoke-KPod -Image 'does-not-exist/app:1' -Command true -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'PodLaunchFailed,*'
        $result.Diagnosis.Reason | Should -BeIn 'ErrImagePull', 'ImagePullBackOff'
        $result.Deleted | Should -BeTrue
    }

    It 'keeps the pod with -OnFinishAction KeepPod and deletes only successes with DeleteSucceededPod' {
        $kept = Invoke-KPod -Image alpine -Command true -OnFinishAction KeepPod
        $kept.Deleted | Should -BeFalse
        Get-ClusterPod -Name $kept.Name | Should -Not -BeNullOrEmpty
        $kept.Pod | Remove-KPod

        $failed = Invoke-KPod -Image alpine -Command false -OnFinishAction DeleteSucceededPod -ErrorAction SilentlyContinue
        $failed.Deleted | Should -BeFalse
        Get-ClusterPod -Name $failed.Name | Should -Not -BeNullOrEmpty
        $failed.Pod | Remove-KPod
    }

    It 'runs 20 piped specs with -ThrottleLimit 5 and outputs one result per pod' {
        $suite = New-TestName 'fan'
        $specs = 1..20 | ForEach-Object { [pscustomobject]@{ Image = 'alpine'; Command = 'sh'; Argument = @('-c', "sleep 0.$($_ % 4); exit $($_ % 3)"); Label = @{ suite = $suite } } }
        $results = $specs | Invoke-KPod -ThrottleLimit 5 -ErrorAction SilentlyContinue -ErrorVariable failed
        $results | Should -HaveCount 20
        @($results.Name | Sort-Object -Unique) | Should -HaveCount 20
        ($results | Where-Object Phase -EQ 'Succeeded').Count | Should -Be 6
        $failed | Should -HaveCount 14
        Get-KPod -Selector "suite=$suite" | Where-Object { -not $_.DeletionTimestamp } | Should -BeNullOrEmpty
    }

    It 'takes -Manifest as YAML text' {
        $name = New-TestName
        $manifest = @"
apiVersion: v1
kind: Pod
metadata:
  name: $name
spec:
  restartPolicy: Never
  containers:
  - name: base
    image: alpine
    command: ["sh", "-c", "echo from yaml"]
"@
        $result = Invoke-KPod -Manifest $manifest -ShowLogs -InformationVariable logs
        $result.Name | Should -Be $name
        $result.Phase | Should -Be 'Succeeded'
        ($logs.MessageData | ForEach-Object { "$_" }) | Should -Contain 'from yaml'
    }

    It 'takes -Manifest as a hashtable' {
        $result = Invoke-KPod -Manifest @{
            metadata = @{ generateName = 'hashed-' }
            spec     = @{ restartPolicy = 'Never'; containers = @(@{ name = 'base'; image = 'alpine'; command = @('true') }) }
        }
        $result.Name | Should -Match '^hashed-[a-z0-9]{5}$'
        $result.Phase | Should -Be 'Succeeded'
    }

    It 'reattaches to a live pod of the same -RunKey instead of creating another' {
        $key = New-TestName 'run'
        # The first pod ends only once the second call has reattached to it and reported it running, however slow the machine.
        $first = New-KPod -RunKey $key -Image alpine -Command sh -Argument '-c', "$(Get-ReleaseWaitScript); echo first run" | Wait-KPodStart
        $second = Start-InRunspace "Invoke-KPod -RunKey '$key' -Image alpine -Command sh -Argument '-c', 'echo second run' -ShowLogs 6>&1"
        try {
            Wait-InRunspaceProgress $second
            Send-PodRelease $first
            $output = Complete-InRunspace $second
            $result = $output | Where-Object { $_ -is [PodManager.KPodResult] }
            $result.Reattached | Should -BeTrue
            $result.Name | Should -Be $first.Name
            $result.Phase | Should -Be 'Succeeded'
            ($output | Where-Object { $_ -is [System.Management.Automation.InformationRecord] }).MessageData.Message | Should -Be 'first run'
        }
        finally {
            Stop-InRunspace $second
            Get-KPod -Name $first.Name -ErrorAction Ignore | Remove-KPod -Force
        }
    }

    It 'reports XComSidecarTerminated, with the sidecar''s state, when the sidecar died before the result was read' {
        # The base waits for a go, so the sidecar is killed while both run; the run then reattaches by its key. The
        # base may end before or after the rerun finds the pod: KeepPod makes both orders reattach (a finished pod
        # that the finish action keeps is reattached, one that it deletes is replaced).
        $key = New-TestName 'oom'
        $pod = New-KPod -RunKey $key -XCom -Image alpine -Command sh -Argument '-c', "echo '{`"n`": 1}' > /airflow/xcom/return.json; $(Get-ReleaseWaitScript /airflow/xcom/go)" |
            Wait-KPodStart
        try {
            Stop-TestClusterContainer -Pod $pod.Name -Container airflow-xcom-sidecar -ExitCode 137 -Reason OOMKilled
            # The sidecar's exit code 137 makes this wait a PodFailed: only the state matters here.
            $pod | Wait-KPodCompletion -Container airflow-xcom-sidecar -ErrorAction Ignore | Out-Null
            Send-PodRelease $pod -Marker /airflow/xcom/go

            $result = Invoke-KPod -RunKey $key -XCom -OnFinishAction KeepPod -Image alpine -ErrorVariable failed -ErrorAction SilentlyContinue

            $result.Reattached | Should -BeTrue
            $result.Name | Should -Be $pod.Name
            $result.Phase | Should -Be 'Failed'
            $result.ExitCode | Should -Be 0
            $result.XCom | Should -BeNullOrEmpty
            $failed | Should -HaveCount 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'XComSidecarTerminated,*'
            $failed[0].Exception.Message | Should -Match 'exit code 137 \(OOMKilled\)'
        }
        finally {
            Get-KPod -Name $pod.Name -ErrorAction Ignore | Remove-KPod -Force
        }
    }

    It 'starts a new pod for a rerun with the -RunKey of a kept pod whose result was reported, and reads the new result' {
        $key = New-TestName 'rerun'
        $first = Invoke-KPod -RunKey $key -XCom -OnFinishAction KeepPod -Image alpine -Command sh -Argument '-c', 'echo ''{"run": 1}'' > /airflow/xcom/return.json'
        $second = Invoke-KPod -RunKey $key -XCom -OnFinishAction KeepPod -Image alpine -Command sh -Argument '-c', 'echo ''{"run": 2}'' > /airflow/xcom/return.json'
        try {
            $first.XCom.run | Should -Be 1
            (Get-ClusterPod -Name $first.Name).metadata.labels.'podmanager.io/already-checked' | Should -Be 'true'
            $second.Reattached | Should -BeFalse
            $second.Name | Should -Not -Be $first.Name
            $second.Phase | Should -Be 'Succeeded'
            $second.XCom.run | Should -Be 2
        }
        finally {
            $first.Pod, $second.Pod | Remove-KPod -Force
        }
    }

    It 'reports XComSidecarTerminated when it reattaches to a finished pod whose result was already read' {
        $key = New-TestName 'taken'
        $pod = New-KPod -RunKey $key -XCom -Image alpine -Command sh -Argument '-c', 'echo ''{"a": 1}'' > /airflow/xcom/return.json' | Wait-KPodCompletion
        try {
            ($pod | Get-KPodXCom).a | Should -Be 1
            $pod | Wait-KPodCompletion -Container airflow-xcom-sidecar | Out-Null

            $result = Invoke-KPod -RunKey $key -XCom -OnFinishAction KeepPod -Image alpine -ErrorVariable failed -ErrorAction SilentlyContinue

            $result.Reattached | Should -BeTrue
            $result.XCom | Should -BeNullOrEmpty
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'XComSidecarTerminated,*'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'delivers the result of a sidecar whose image pulls slowly (-XComSidecarImage): the pod stays Pending until it runs' {
        $result = Invoke-KPod -XCom -XComSidecarImage 'registry.local/slow-pull/alpine:3.22' -OnFinishAction KeepPod -Image alpine -Command sh -Argument '-c', 'echo ''{"slow": true}'' > /airflow/xcom/return.json'
        try {
            $result.Phase | Should -Be 'Succeeded'
            $result.XCom.slow | Should -BeTrue
            ($result.Pod.Containers | Where-Object Name -EQ 'airflow-xcom-sidecar').Image | Should -Be 'registry.local/slow-pull/alpine:3.22'
        }
        finally {
            $result.Pod | Remove-KPod -Force
        }
    }

    It 'takes the sidecar''s image and resources once for the session through $PSDefaultParameterValues' {
        $PSDefaultParameterValues['Invoke-KPod:XComSidecarImage'] = 'registry.local/mirror/alpine:3.22'
        $PSDefaultParameterValues['Invoke-KPod:XComSidecarResources'] = @{ requests = @{ cpu = '2m'; memory = '12Mi' }; limits = @{ memory = '40Mi' } }
        try {
            $result = Invoke-KPod -XCom -OnFinishAction KeepPod -Image alpine -Command sh -Argument '-c', 'echo 7 > /airflow/xcom/return.json'
            $plain = Invoke-KPod -Image alpine -Command true
        }
        finally {
            $PSDefaultParameterValues.Remove('Invoke-KPod:XComSidecarImage')
            $PSDefaultParameterValues.Remove('Invoke-KPod:XComSidecarResources')
        }
        try {
            $result.XCom | Should -Be 7
            $sidecar = (Get-ClusterPod -Name $result.Name).spec.containers | Where-Object name -EQ 'airflow-xcom-sidecar'
            $sidecar.image | Should -Be 'registry.local/mirror/alpine:3.22'
            $sidecar.resources.requests.cpu | Should -Be '2m'
            $sidecar.resources.requests.memory | Should -Be '12Mi'
            $sidecar.resources.limits.memory | Should -Be '40Mi'
            $sidecar.resources.limits.cpu | Should -BeNullOrEmpty
            $plain.Phase | Should -Be 'Succeeded'
        }
        finally {
            $result.Pod | Remove-KPod -Force
        }
    }

    It 'refuses sidecar resources that are no quantities, naming them, before any pod is made' {
        $suite = New-TestName 'badres'
        $result = Invoke-KPod -XCom -XComSidecarResources @{ limits = @{ cpu = 'lots' } } -Label @{ suite = $suite } -Image alpine -Command true -ErrorVariable failed -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'InvalidParameterValue,*'
        $failed[0].Exception.Message | Should -Match "-XComSidecarResources limits\.cpu 'lots'"
        $err = { Invoke-KPod -XCom -XComSidecarResources @{ limit = @{ cpu = '1' } } -Image alpine -Command true -ErrorAction Stop } | Should -Throw -PassThru
        $err.Exception.Message | Should -Match "key 'limit'"
        Get-KPod -Selector "suite=$suite" | Should -BeNullOrEmpty
    }

    It 'deletes the pods it created when the pipeline is stopped (Ctrl+C), and none is left behind' {
        $suite = New-TestName 'stop'
        $ps = [PowerShell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:PODMANAGER_TEST_MODULE'; 1..3 | ForEach-Object { [pscustomobject]@{ Image = 'alpine'; Command = 'sleep'; Argument = '300'; Label = @{ suite = '$suite' } } } | Invoke-KPod")
            $running = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ((Get-KPod -Selector "suite=$suite" -FieldSelector 'status.phase=Running').Count -lt 3 -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 200
            }
            (Get-KPod -Selector "suite=$suite").Count | Should -Be 3

            $stopwatch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            Write-Host "Invoke-KPod stopped in $($stopwatch.ElapsedMilliseconds) ms"
            $running.IsCompleted | Should -BeTrue
            Get-KPod -Selector "suite=$suite" | Where-Object { -not $_.DeletionTimestamp } | Should -BeNullOrEmpty
        }
        finally {
            $ps.Dispose()
            Get-KPod -Selector "suite=$suite" | Remove-KPod -Force
        }
    }
}
