BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
    $script:run = New-TestName 'get'
    $script:pods = 1..3 | ForEach-Object { New-KPod -Name "$($script:run)-$_" -Image alpine -Command sleep -Argument 300 -Label @{ suite = $script:run; index = "$_" } }
    $script:other = New-KPod -Name "$($script:run)-sys" -Namespace kube-system -Image alpine -Command sleep -Argument 300 -Label @{ suite = $script:run }
}

AfterAll {
    @($script:pods) + $script:other | Remove-KPod -Force
}

Describe 'Get-KPod' {
    It 'reads one pod by name, as a KPod that carries its connection' {
        $pod = Get-KPod -Name "$($script:run)-1"
        $pod | Should -BeOfType ([PodManager.KPod])
        $pod.Name | Should -Be "$($script:run)-1"
        $pod.Labels['index'] | Should -Be '1'
        $pod.Connection.Context | Should -Be 'testcluster'
    }

    It 'matches wildcards' {
        (Get-KPod -Name "$($script:run)-*").Name | Sort-Object | Should -Be (1..3 | ForEach-Object { "$($script:run)-$_" })
    }

    It 'filters by label selector, in the default namespace only unless asked' {
        (Get-KPod -Selector "suite=$($script:run),index in (1,3)").Name | Sort-Object | Should -Be @("$($script:run)-1", "$($script:run)-3")
        (Get-KPod -Selector "suite=$($script:run)").Count | Should -Be 3
        (Get-KPod -Selector "suite=$($script:run)" -AllNamespaces).Namespace | Sort-Object -Unique | Should -Be @('default', 'kube-system')
        (Get-KPod -Selector "suite=$($script:run)" -Namespace kube-system).Name | Should -Be "$($script:run)-sys"
    }

    It 'filters by field selector' {
        Get-KPod -Selector "suite=$($script:run)" -FieldSelector 'status.phase=Succeeded' | Should -BeNullOrEmpty
    }

    It 'reports a missing pod as PodNotFound and goes on with the others' {
        $found = Get-KPod -Name 'no-such-pod', "$($script:run)-2" -ErrorVariable failed -ErrorAction SilentlyContinue
        $found.Name | Should -Be "$($script:run)-2"
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'PodNotFound,*'
    }

    It 'feeds Remove-KPod: Get-KPod -Selector ... | Remove-KPod' {
        $suite = New-TestName 'sel'
        1..2 | ForEach-Object { New-KPod -Image alpine -Command sleep -Argument 300 -Label @{ suite = $suite } } | Out-Null
        Get-KPod -Selector "suite=$suite" | Remove-KPod -GracePeriod 0 -Wait
        Get-KPod -Selector "suite=$suite" | Should -BeNullOrEmpty
    }

    It 'formats like kubectl get pods' {
        $table = Get-KPod -Name "$($script:run)-1" | Format-Table | Out-String
        $table | Should -Match 'NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE'
        # AGE as kubectl prints it: 59s, 2m0s, 3h ... (the pod may be minutes old on a slow machine).
        $table | Should -Match "$($script:run)-1\s+\d/1\s+\S+\s+0\s+\d+(s|m\d*s?|h)"
    }

    It 'binds pods from kubectl get pod -o json | ConvertFrom-Json' {
        $name = New-TestName
        New-KPod -Name $name -Image alpine -Command sleep -Argument 300 | Out-Null
        $fromKubectl = Invoke-Kubectl get pod $name -o json | ConvertFrom-Json
        $fromKubectl | Remove-KPod -GracePeriod 0 -Wait
        Get-ClusterPod -Name $name | Should -BeNullOrEmpty
    }
}
