BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
}

Describe 'New-KPod' {
    It 'creates a pod with a generated name, one base container and restartPolicy Never' {
        $pod = New-KPod -Image 'registry.example/team/alpine:3.20' -Command sleep -Argument 30
        try {
            $pod | Should -BeOfType ([PodManager.KPod])
            $pod.Name | Should -Match '^alpine-[a-z0-9]{8}$'
            $pod.Namespace | Should -Be 'default'
            $pod.Uid | Should -Not -BeNullOrEmpty
            $server = Get-ClusterPod -Name $pod.Name
            $server.spec.restartPolicy | Should -Be 'Never'
            $server.spec.containers | Should -HaveCount 1
            $server.spec.containers[0].name | Should -Be 'base'
            $server.spec.containers[0].image | Should -Be 'registry.example/team/alpine:3.20'
            $server.spec.containers[0].command | Should -Be @('sleep')
            $server.spec.containers[0].args | Should -Be @('30')
            $server.metadata.labels.'app.kubernetes.io/managed-by' | Should -Be 'PodManager'
        }
        finally {
            $pod | Remove-KPod -GracePeriod 0
        }
    }

    It 'applies -Name, -Label and -Env, and the container sees the environment' {
        $name = New-TestName
        $pod = New-KPod -Name $name -Image alpine -Command sh -Argument '-c', 'echo "$GREETING, $TARGET"' -Env @{ GREETING = 'hi'; TARGET = 42 } -Label @{ team = 'data'; tier = 'batch' }
        try {
            $pod.Name | Should -Be $name
            $pod.Labels['team'] | Should -Be 'data'
            $pod.Labels['tier'] | Should -Be 'batch'
            ($pod | Wait-KPodCompletion | Get-KPodLog).Message | Should -Be 'hi, 42'
        }
        finally {
            $pod | Remove-KPod
        }
    }

    It 'creates the pod in -Namespace' {
        $pod = New-KPod -Namespace kube-system -Image alpine -Command true
        try {
            $pod.Namespace | Should -Be 'kube-system'
            Get-ClusterPod -Name $pod.Name -Namespace kube-system | Should -Not -BeNullOrEmpty
        }
        finally {
            $pod | Remove-KPod
        }
    }

    It 'creates nothing with -WhatIf' {
        $name = New-TestName
        New-KPod -Name $name -Image alpine -Command true -WhatIf | Should -BeNullOrEmpty
        Get-ClusterPod -Name $name | Should -BeNullOrEmpty
    }

    It 'reports an invalid pod name as InvalidPodSpec, naming the field' {
        New-KPod -Name 'Bad_Name' -Image alpine -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure | Should -HaveCount 1
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidPodSpec,*'
        $failure[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure[0].Exception.Message | Should -Match 'metadata.name'
    }

    It 'reports a missing namespace as NamespaceNotFound and says how to fix it' {
        $err = { New-KPod -Namespace 'no-such-namespace' -Image alpine -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'NamespaceNotFound,*'
        $err.Exception.Message | Should -Match 'no-such-namespace'
        $err.Exception.Message | Should -Match 'kubectl create namespace'
    }

    It 'refuses an -Env entry without a value with InvalidParameterValue' {
        $err = { New-KPod -Image alpine -Env @{ EMPTY = $null } -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidParameterValue,*'
        $err.Exception.Message | Should -Match '-Env'
    }
}
