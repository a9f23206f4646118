BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest

    function Complete([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }

    $script:name = New-TestName 'compl'
    $script:pod = New-KPod -Name $script:name -Image alpine -Command sleep -Argument 300
    $script:multi = New-KPod -Manifest @{
        metadata = @{ name = "$($script:name)-two" }
        spec     = @{ containers = @(@{ name = 'web'; image = 'alpine'; command = @('sleep', '300') }, @{ name = 'worker'; image = 'alpine'; command = @('sleep', '300') }) }
    }
}

AfterAll {
    $script:pod, $script:multi | Remove-KPod -Force
}

Describe 'Tab completion' {
    It 'completes -Context from the kubeconfig' {
        Complete 'Get-KPod -Context testc' | Should -Be @('testcluster', 'testcluster-readonly')
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

    It 'answers nothing, without an error, when the cluster cannot be reached' {
        $unreachable = Join-Path $TestDrive 'unreachable.kubeconfig'
        (Get-Content -Raw $env:KUBECONFIG) -replace 'server:\s*\S+', 'server: https://127.0.0.1:9' | Set-Content $unreachable
        Assert-LoopbackKubeConfig -Path $unreachable
        $errorsBefore = $Error.Count
        Complete "Get-KPod -KubeConfig $unreachable -Namespace kube" | Should -BeNullOrEmpty
        $Error.Count | Should -Be $errorsBefore
    }
}
