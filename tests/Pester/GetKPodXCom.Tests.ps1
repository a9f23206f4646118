BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestCluster.psm1') -Force
    Initialize-PodManagerTest

    function New-XComPod([string] $Result) {
        $script = if ($null -eq $Result) { 'echo no result' } else { "printf '%s' '$Result' > /airflow/xcom/return.json" }
        New-KPod -XCom -Image alpine -Command sh -Argument '-c', $script
    }
}

Describe 'Get-KPodXCom' {
    It 'round-trips a JSON result through the sidecar: New-KPod -XCom | Wait-KPodStart | Wait-KPodCompletion | Get-KPodXCom' {
        $result = New-XComPod '{"rows": 42, "tables": ["a", "b"], "ok": true}' | Wait-KPodStart | Wait-KPodCompletion | Get-KPodXCom
        $result.rows | Should -Be 42
        $result.tables | Should -Be @('a', 'b')
        $result.ok | Should -BeTrue
        $result | Should -BeOfType ([System.Management.Automation.PSCustomObject])
    }

    It 'stops the sidecar afterwards, so the pod completes, and the sidecar has the Airflow shape' {
        $pod = New-XComPod '{"a": 1}'
        try {
            $server = Get-ClusterPod -Name $pod.Name
            $sidecar = $server.spec.containers | Where-Object name -EQ 'airflow-xcom-sidecar'
            $sidecar.image | Should -Be 'docker.io/library/alpine:3.22'
            $sidecar.resources.requests.cpu | Should -Be '1m'
            $sidecar.resources.requests.memory | Should -Be '10Mi'
            $sidecar.resources.limits.cpu | Should -Be '100m'
            $sidecar.resources.limits.memory | Should -Be '50Mi'
            $server.spec.containers[0].volumeMounts[0].mountPath | Should -Be '/airflow/xcom'
            $server.spec.volumes[0].name | Should -Be 'xcom'

            $pod | Wait-KPodCompletion | Get-KPodXCom | Out-Null
            $final = $pod | Wait-KPodCompletion -Container airflow-xcom-sidecar
            ($final.Containers | Where-Object Name -EQ 'airflow-xcom-sidecar').ExitCode | Should -Be 0
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'gives hashtables with -AsHashtable and the text with -Raw' {
        $pod = New-XComPod '{"a": {"b": 2}}' | Wait-KPodCompletion
        try {
            $table = $pod | Get-KPodXCom -AsHashtable
            $table | Should -BeOfType ([System.Collections.IDictionary])
            $table['a']['b'] | Should -Be 2
        }
        finally {
            $pod | Remove-KPod -Force
        }
        $list = New-XComPod '[1,2,3]' | Wait-KPodCompletion
        try {
            $list | Get-KPodXCom -Raw | Should -Be '[1,2,3]'
        }
        finally {
            $list | Remove-KPod -Force
        }
    }

    It 'outputs nothing for an empty result' {
        $pod = New-XComPod $null | Wait-KPodCompletion
        try {
            $pod | Get-KPodXCom | Should -BeNullOrEmpty
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'reports invalid JSON as XComInvalidJson, and still stops the sidecar' {
        $pod = New-XComPod '{not json' | Wait-KPodCompletion
        try {
            $err = { $pod | Get-KPodXCom -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'XComInvalidJson,*'
            $err.Exception.Message | Should -Match '\{not json'
            ($pod | Wait-KPodCompletion -Container airflow-xcom-sidecar).Containers.State | Sort-Object -Unique | Should -Be 'Terminated'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'warns, naming the pod, of a result that is not UTF-8, and gives its bytes that are as text' {
        # printf's octal escapes: a JSON string holding the bytes FF FE, which no UTF-8 text has.
        $pod = New-KPod -XCom -Image alpine -Command sh -Argument '-c', 'printf ''{"v":"a\377\376b"}'' > /airflow/xcom/return.json' | Wait-KPodCompletion
        try {
            $result = $pod | Get-KPodXCom -WarningVariable warned -WarningAction SilentlyContinue
            $result.v | Should -Be "a$([char]0xFFFD)$([char]0xFFFD)b"
            $warned | Should -HaveCount 1
            "$($warned[0])" | Should -BeLike "The XCom result of pod default/$($pod.Name) (/airflow/xcom/return.json) is not UTF-8*Write the result as UTF-8 JSON."
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'reports a sidecar that died before the read as XComSidecarTerminated with its state, never as an empty result' {
        $pod = New-KPod -XCom -Image alpine -Command sh -Argument '-c', "echo '{`"a`": 1}' > /airflow/xcom/return.json; $(Get-ReleaseWaitScript /airflow/xcom/go)" | Wait-KPodStart
        try {
            Stop-TestClusterContainer -Pod $pod.Name -Container airflow-xcom-sidecar -ExitCode 137 -Reason OOMKilled
            # The sidecar's exit code 137 makes this wait a PodFailed: only the state matters here.
            $pod | Wait-KPodCompletion -Container airflow-xcom-sidecar -ErrorAction Ignore | Out-Null
            Send-PodRelease $pod -Marker /airflow/xcom/go
            $err = { $pod | Wait-KPodCompletion | Get-KPodXCom -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'XComSidecarTerminated,*'
            $err.Exception.Message | Should -Match 'exit code 137 \(OOMKilled\)'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'reports a pod without the sidecar as XComNotFound' {
        $pod = New-KPod -Image alpine -Command true | Wait-KPodCompletion
        try {
            $err = { $pod | Get-KPodXCom -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'XComNotFound,*'
            $err.Exception.Message | Should -Match '-XCom'
        }
        finally {
            $pod | Remove-KPod
        }
    }

    It 'reads the result from the termination message with -FromTerminationMessage' {
        $pod = New-KPod -Image alpine -Command sh -Argument '-c', 'printf ''{"from": "message"}'' > /dev/termination-log' | Wait-KPodCompletion
        try {
            ($pod | Get-KPodXCom -FromTerminationMessage).from | Should -Be 'message'
        }
        finally {
            $pod | Remove-KPod
        }
    }
}
