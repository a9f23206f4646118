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

    It 'leaves explicit -KubeConfig and -Context in charge over the session default' {
        Connect-KCluster -KubeConfig $script:kubeconfig -Namespace kube-system | Out-Null
        $pod = New-KPod -KubeConfig $script:kubeconfig -Image alpine -Command true
        $pod.Namespace | Should -Be 'default'
        $pod | Remove-KPod
    }
}
