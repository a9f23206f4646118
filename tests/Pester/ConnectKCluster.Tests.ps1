BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
    $script:kubeconfig = $env:KUBECONFIG
}

Describe 'Connect-KCluster' {
    AfterEach {
        Disconnect-KCluster
        $env:KUBECONFIG = $script:kubeconfig
    }

    It 'checks the connection and reports the cluster it connected to' {
        $cluster = Connect-KCluster -KubeConfig $script:kubeconfig
        $cluster | Should -BeOfType ([PodManager.KCluster])
        $cluster.Context | Should -Be 'testcluster'
        $cluster.Server | Should -BeLike 'https://127.0.0.1:*'
        $cluster.ServerVersion | Should -Match '^v1\.\d+'
        $cluster.Namespace | Should -Be 'default'
    }

    It 'becomes the default for every cmdlet of the session, with its namespace' {
        Connect-KCluster -KubeConfig $script:kubeconfig -Namespace kube-system | Out-Null
        $env:KUBECONFIG = Join-Path $TestDrive 'absent'
        $pod = New-KPod -Image alpine -Command true
        $pod.Namespace | Should -Be 'kube-system'
        (Get-KPod -Name $pod.Name).Namespace | Should -Be 'kube-system'
        $pod | Remove-KPod
    }

    It 'takes kubeconfig text from a secret store without writing it anywhere' {
        $content = Get-Content -Raw $script:kubeconfig
        $cluster = Connect-KCluster -KubeConfigContent $content
        $cluster.KubeConfig | Should -BeNullOrEmpty
        $env:KUBECONFIG = Join-Path $TestDrive 'absent'
        $pod = New-KPod -Image alpine -Command sh -Argument '-c', 'echo from content'
        ($pod | Wait-KPodCompletion | Get-KPodLog).Message | Should -Be 'from content'
        $pod | Remove-KPod
    }

    It 'refuses kubeconfig content that is not a kubeconfig, as InvalidKubeConfig' {
        $err = { Connect-KCluster -KubeConfigContent "{{{ nonsense" } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidKubeConfig,*'
    }

    It 'refuses -InCluster outside a pod, saying what it needs' {
        $err = { Connect-KCluster -InCluster } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'NotInCluster,*'
        $err.Exception.Message | Should -Match 'KUBERNETES_SERVICE_HOST'
    }

    It 'fails at once with ClusterUnreachable against a server that refuses connections, showing each attempt with -Verbose' {
        $refusing = New-RefusingKubeConfig -Path (Join-Path $TestDrive 'refusing.kubeconfig')
        $port = $refusing.Port

        $verbose = [Collections.Generic.List[object]]::new()
        $err = { Connect-KCluster -KubeConfig $refusing.Path -Verbose 4>&1 | ForEach-Object { $verbose.Add($_) } } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'ClusterUnreachable,*'
        $err.Exception.Message | Should -BeLike "Cannot reach the API server at https://127.0.0.1:$port while reading the server version: Connection refused*"
        # A server that never answered gets the short connect budget (2 s), not the 5 attempts (15 s) of an outage:
        # after the first back-off (0.8 to 1.2 s) the next one (1.6 s at least) would end past it.
        $attempts = @($verbose | Where-Object { $_.Message -like 'GET /version*-> Connection refused*' })
        $attempts.Count | Should -BeIn 1, 2
    }

    It 'leaves explicit -KubeConfig and -Context in charge over the session default' {
        Connect-KCluster -KubeConfig $script:kubeconfig -Namespace kube-system | Out-Null
        $pod = New-KPod -KubeConfig $script:kubeconfig -Image alpine -Command true
        $pod.Namespace | Should -Be 'default'
        $pod | Remove-KPod
    }
}
