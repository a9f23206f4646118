BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest

    function Complete([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }

    # The 2 s a lookup may take by default is a wall clock that a loaded machine can exceed; a test of what completes
    # gives the cluster time to answer (the unreachable case below does not depend on it).
    $script:budget = $env:PODMANAGER_COMPLETION_TIMEOUT
    $env:PODMANAGER_COMPLETION_TIMEOUT = '120'

    $script:name = New-TestName 'compl'
    $script:pod = New-KPod -Name $script:name -Image alpine -Command sleep -Argument 300
    $script:multi = New-KPod -Manifest @{
        metadata = @{ name = "$($script:name)-two" }
        spec     = @{ containers = @(@{ name = 'web'; image = 'alpine'; command = @('sleep', '300') }, @{ name = 'worker'; image = 'alpine'; command = @('sleep', '300') }) }
    }
}

AfterAll {
    $env:PODMANAGER_COMPLETION_TIMEOUT = $script:budget
    $script:pod, $script:multi | Remove-KPod -Force
}

Describe 'Tab completion' {
    It 'completes -Context from the kubeconfig' {
        Complete 'Get-KPod -Context testc' | Should -Be @('testcluster', 'testcluster-exec', 'testcluster-expiring', 'testcluster-nolist', 'testcluster-podmanager', 'testcluster-readonly', 'testcluster-tokenfile')
    }

    It 'completes -Namespace from the cluster' {
        Complete 'Get-KPod -Namespace kube-s' | Should -Be @('kube-system')
    }

    It 'completes -Name with the pods of the namespace' {
        Complete "Get-KPodLog -Name $($script:name)" | Should -Be @($script:name, "$($script:name)-two")
    }

    It 'completes -Container with the containers of the pod named' {
        Complete "Get-KPodLog -Name $($script:name)-two -Container w" | Should -Be @('web', 'worker')
    }

    It 'gives up a lookup after the seconds in PODMANAGER_COMPLETION_TIMEOUT' {
        # A lookup of a context not asked before (nothing cached) cannot answer within a millisecond.
        $env:PODMANAGER_COMPLETION_TIMEOUT = '0.001'
        Complete 'Get-KPod -Context testcluster-readonly -Namespace kube-s' | Should -BeNullOrEmpty
        $env:PODMANAGER_COMPLETION_TIMEOUT = '120'
        Complete 'Get-KPod -Context testcluster-readonly -Namespace kube-s' | Should -Be @('kube-system')
    }

    It 'answers nothing, without an error, when the cluster cannot be reached' {
        $env:PODMANAGER_COMPLETION_TIMEOUT = $null
        $unreachable = Join-Path $TestDrive 'unreachable.kubeconfig'
        (Get-Content -Raw $env:KUBECONFIG) -replace 'server:\s*\S+', 'server: https://127.0.0.1:9' | Set-Content $unreachable
        Assert-LoopbackKubeConfig -Path $unreachable
        $errorsBefore = $Error.Count
        Complete "Get-KPod -KubeConfig $unreachable -Namespace kube" | Should -BeNullOrEmpty
        $Error.Count | Should -Be $errorsBefore
    }
}
