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
        $refusing = New-RefusingKubeConfig -Path (Join-Path $TestDrive 'unreachable.kubeconfig')
        $unreachable = $refusing.Path
        $port = $refusing.Port
        $token = (Select-String -Path $unreachable -Pattern '^\s*token:\s*(\S+)').Matches[0].Groups[1].Value

        $err = { Get-KPodLog -KubeConfig $unreachable -Name x -ErrorAction Stop -Verbose 4>&1 | Out-Null } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ClusterUnreachable,*'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.Exception.Message | Should -Match "127.0.0.1:$port"
        ($err | Out-String) | Should -Not -Match ([regex]::Escape($token))
    }

    Context 'a certificate authority that does not fit' {
        BeforeAll {
            function New-CaKubeConfig {
                param([string] $Name, [string] $Data)
                $path = Join-Path $TestDrive "$Name.kubeconfig"
                (Get-Content -Raw $env:KUBECONFIG) -replace 'certificate-authority-data:\s*\S+', "certificate-authority-data: $Data" | Set-Content $path
                Assert-LoopbackKubeConfig -Path $path
                $path
            }
            $key = [System.Security.Cryptography.ECDsa]::Create()
            $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=another authority', $key, 'SHA256')
            $other = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(1))
            $script:otherCa = [Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes($other.ExportCertificatePem()))
        }

        It 'rejects a server certificate of another CA at once, as CertificateRejected with advice about the CA' {
            $path = New-CaKubeConfig -Name 'other-ca' -Data $script:otherCa
            $verbose = [Collections.Generic.List[object]]::new()
            $err = { Get-KPod -KubeConfig $path -ErrorAction Stop -Verbose 4>&1 | ForEach-Object { $verbose.Add($_) } } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'CertificateRejected,*'
            $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
            $err.Exception.Message | Should -Match 'certificate-authority-data'
            $err.Exception.Message | Should -Not -Match 'server address'
            @($verbose | Where-Object { $_.Message -like 'GET /api/v1/namespaces/default/pods*' }) | Should -HaveCount 1
        }

        It 'refuses certificate-authority-data that is <Case> as InvalidCertificateAuthority, before any request' -TestCases @(
            @{ Case = 'not base64'; Data = 'not*base64' }
            @{ Case = 'no certificate'; Data = [Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes('hello, not a certificate')) }
            @{ Case = 'a broken PEM block'; Data = [Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes("-----BEGIN CERTIFICATE-----`nAAAA`n-----END CERTIFICATE-----`n")) }
        ) {
            param($Case, $Data)
            $path = New-CaKubeConfig -Name 'bad-ca' -Data $Data
            $verbose = [Collections.Generic.List[object]]::new()
            $err = { Get-KPod -KubeConfig $path -ErrorAction Stop -Verbose 4>&1 | ForEach-Object { $verbose.Add($_) } } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'InvalidCertificateAuthority,*'
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            $err.Exception.Message | Should -BeLike "The certificate authority of cluster 'testcluster' (context 'testcluster') cannot be used: *certificate-authority-data*"
            $verbose | Should -BeNullOrEmpty
        }
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
