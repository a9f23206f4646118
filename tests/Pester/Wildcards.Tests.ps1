BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
    # Two pods that end at once, each with its log line and its result in the termination message.
    $script:run = New-TestName 'wild'
    $script:pods = 1..2 | ForEach-Object {
        New-KPod -Name "$($script:run)-$_" -Image alpine -Command sh -Argument '-c', "echo 'work of pod $_'; echo '{""n"": $_}' > /dev/termination-log"
    }
    $script:pattern = "$($script:run)-*"
}

AfterAll {
    $script:pods | Remove-KPod -Force
}

Describe 'Names with wildcards, as in Get-KPod' {
    It 'Wait-KPodStart and Wait-KPodCompletion wait for each matching pod' {
        (Wait-KPodStart -Name $script:pattern).Name | Sort-Object | Should -Be @("$($script:run)-1", "$($script:run)-2")
        $done = Wait-KPodCompletion -Name $script:pattern
        $done.Name | Sort-Object | Should -Be @("$($script:run)-1", "$($script:run)-2")
        $done.Phase | Should -Be @('Succeeded', 'Succeeded')
    }

    It 'Get-KPodLog, Get-KPodEvent and Get-KPodXCom read each matching pod' {
        Wait-KPodCompletion -Name $script:pattern | Out-Null
        (Get-KPodLog -Name $script:pattern).Message | Sort-Object | Should -Be @('work of pod 1', 'work of pod 2')
        (Get-KPodEvent -Name $script:pattern -Type Normal | Where-Object Reason -EQ Scheduled).Pod | Sort-Object | Should -Be @("$($script:run)-1", "$($script:run)-2")
        (Get-KPodXCom -Name $script:pattern -FromTerminationMessage).n | Sort-Object | Should -Be @(1, 2)
    }

    It 'Invoke-KPodCommand runs in each matching pod' {
        $sleepers = 1..2 | ForEach-Object { New-KPod -Name "$($script:run)-exec-$_" -Image alpine -Command sleep -Argument 300 }
        try {
            Invoke-KPodCommand -Name "$($script:run)-exec-*" -Command hostname -Raw | Sort-Object | Should -Be @("$($script:run)-exec-1", "$($script:run)-exec-2")
        }
        finally {
            $sleepers | Remove-KPod -Force
        }
    }

    It 'Remove-KPod asks about each matching pod (-WhatIf, -Confirm) and removes each' {
        $doomed = 1..2 | ForEach-Object { New-KPod -Name "$($script:run)-rm-$_" -Image alpine -Command sleep -Argument 300 }
        Remove-KPod -Name "$($script:run)-rm-*" -WhatIf
        $doomed | ForEach-Object { Get-ClusterPod -Name $_.Name | Should -Not -BeNullOrEmpty }

        $said = Remove-KPod -Name "$($script:run)-rm-*" -Force -Wait -Verbose 4>&1
        ($said | Where-Object Message -Like 'Performing the operation*').Message | Should -Be @(
            "Performing the operation ""Remove pod immediately"" on target ""default/$($script:run)-rm-1"".",
            "Performing the operation ""Remove pod immediately"" on target ""default/$($script:run)-rm-2"".")
        $doomed | ForEach-Object { Get-ClusterPod -Name $_.Name | Should -BeNullOrEmpty }
    }

    It 'a wildcard that matches nothing is no error, as with Remove-Item' {
        { Remove-KPod -Name 'no-such-pod-*' -ErrorAction Stop } | Should -Not -Throw
        Wait-KPodCompletion -Name 'no-such-pod-*' -ErrorAction Stop | Should -BeNullOrEmpty
        $said = Get-KPodLog -Name 'no-such-pod-*' -Verbose 4>&1
        ($said | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain "No pod in namespace 'default' matches 'no-such-pod-*'."
    }

    It 'a literal name that does not exist keeps its own behaviour' {
        $err = { Wait-KPodCompletion -Name 'no-such-pod' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'PodNotFound,*'
        { Remove-KPod -Name 'no-such-pod' -ErrorAction Stop } | Should -Not -Throw
    }
}
