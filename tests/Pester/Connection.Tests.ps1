BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
}

Describe 'Connections' {
    It 'uses KUBECONFIG and its context''s namespace when no connection parameter is given' {
        $pod = New-KPod -Image alpine -Command true
        try {
            $pod.Namespace | Should -Be 'default'
            $pod.Connection.Context | Should -Be 'testcluster'
            $pod.Connection.Server | Should -BeLike 'https://127.0.0.1:*'
            $pod.Connection.KubeConfig | Should -Be (Resolve-Path $env:KUBECONFIG).Path
        }
        finally {
            $pod | Remove-KPod
        }
    }

    It 'takes -KubeConfig and -Context explicitly, and piped pods keep that connection' {
        $saved = $env:KUBECONFIG
        $env:KUBECONFIG = Join-Path $TestDrive 'missing-kubeconfig'
        try {
            $pod = New-KPod -KubeConfig $saved -Context testcluster -Image alpine -Command sh -Argument '-c', 'echo explicit'
            ($pod | Wait-KPodCompletion | Get-KPodLog).Message | Should -Be 'explicit'
            $pod | Remove-KPod
        }
        finally {
            $env:KUBECONFIG = $saved
        }
    }

    It 'reports a missing kubeconfig file as KubeConfigNotFound, naming the path and the fix' {
        $path = Join-Path $TestDrive 'nope.yaml'
        $err = { New-KPod -KubeConfig $path -Image alpine -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'KubeConfigNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.Exception.Message | Should -Match ([regex]::Escape($path))
        $err.Exception.Message | Should -Match '-KubeConfig'
    }

    It 'reports an unknown context as ContextNotFound, listing the contexts there are' {
        $err = { Get-KPodLog -Name x -Context nowhere -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ContextNotFound,*'
        $err.Exception.Message | Should -Match 'testcluster'
    }

    It 'reports an unreachable server as ClusterUnreachable after retrying, without leaking the token' {
        $unreachable = Join-Path $TestDrive 'unreachable.kubeconfig'
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        (Get-Content -Raw $env:KUBECONFIG) -replace 'server:\s*\S+', "server: https://127.0.0.1:$port" | Set-Content $unreachable
        Assert-LoopbackKubeConfig -Path $unreachable
        $token = (Select-String -Path $unreachable -Pattern '^\s*token:\s*(\S+)').Matches[0].Groups[1].Value

        $err = { Get-KPodLog -KubeConfig $unreachable -Name x -ErrorAction Stop -Verbose 4>&1 | Out-Null } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ClusterUnreachable,*'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.Exception.Message | Should -Match "127.0.0.1:$port"
        ($err | Out-String) | Should -Not -Match ([regex]::Escape($token))
    }

    It 'shows each API call with -Verbose, and never the token' {
        $token = (Select-String -Path $env:KUBECONFIG -Pattern '^\s*token:\s*(\S+)').Matches[0].Groups[1].Value
        $name = New-TestName
        $verbose = New-KPod -Name $name -Image alpine -Command true -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        Remove-KPod -Name $name
        ($verbose.Message -join "`n") | Should -Match 'POST /api/v1/namespaces/default/pods\?fieldValidation=Strict -> 201 in \d+ ms'
        ($verbose.Message -join "`n") | Should -Not -Match ([regex]::Escape($token))
    }
}
