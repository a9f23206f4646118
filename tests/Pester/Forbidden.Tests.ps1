BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
}

Describe 'A read-only context' {
    It 'reads pods, but a create is a Forbidden error in the real words, with nothing created' {
        { Get-KPod -Context testcluster-readonly -ErrorAction Stop } | Should -Not -Throw
        $name = New-TestName
        $err = { New-KPod -Context testcluster-readonly -Name $name -Image alpine -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Forbidden,*'
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $err.Exception.Message | Should -Match 'pods is forbidden: User "testcluster-readonly" cannot create resource "pods"'
        Get-ClusterPod -Name $name | Should -BeNullOrEmpty
    }

    It 'cannot delete either, and says so per pod' {
        $pod = New-KPod -Image alpine -Command sleep -Argument 300
        try {
            $err = { Remove-KPod -Context testcluster-readonly -Name $pod.Name -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'Forbidden,*'
            Get-ClusterPod -Name $pod.Name | Should -Not -BeNullOrEmpty
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }
}
