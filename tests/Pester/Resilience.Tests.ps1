BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestCluster.psm1') -Force
    Initialize-PodManagerTest
}

AfterAll {
    Clear-TestClusterFault
}

Describe 'Cmdlets against a cluster that misbehaves' {
    AfterEach {
        Clear-TestClusterFault
    }

    It 'New-KPod rides out two 503s on the create, with one pod made' {
        Reset-TestClusterRequestCount
        Add-TestClusterFault -Status 503 -Method POST -Path '/api/v1/namespaces/default/pods' -Count 2 -RetryAfterSeconds 1
        $pod = New-KPod -Image alpine -Command true
        (Get-TestClusterRequestCount)['create pods'] | Should -Be 3
        $pod | Remove-KPod
    }

    It 'Invoke-KPod adopts its own pod when the answer to the create is lost' {
        $name = New-TestName 'lost'
        Reset-TestClusterRequestCount
        Add-TestClusterFault -DropResponse -Method POST -Path '/api/v1/namespaces/default/pods' -Count 1
        $result = Invoke-KPod -Name $name -Image alpine -Command sh -Argument '-c', 'echo adopted'
        $result.Phase | Should -Be 'Succeeded'
        (Get-TestClusterRequestCount)['create pods'] | Should -Be 2
    }

    It 'Invoke-KPod -ShowLogs shows the log of its own pod adopted after the answer to the create was lost' {
        # The retried create finds the pod made by the first, which has finished by then: its log is still shown.
        $name = New-TestName 'lost-logs'
        Add-TestClusterFault -DropResponse -Method POST -Path '/api/v1/namespaces/default/pods' -Count 1
        $out = @(Invoke-KPod -Name $name -Image alpine -Command sh -Argument '-c', 'echo one; echo two' -ShowLogs 6>&1)
        ($out | Where-Object { $_ -is [PodManager.KPodResult] }).Phase | Should -Be 'Succeeded'
        @($out | Where-Object { $_ -is [Management.Automation.InformationRecord] } | ForEach-Object { "$($_.MessageData.Message)" }) | Should -Be 'one', 'two'
    }

    It 'Get-KPodLog -Follow delivers every line exactly once through cut streams' {
        $pod = New-KPod -Image alpine -Command sh -Argument '-c', 'for i in $(seq 1 3000); do echo "n $i"; done'
        try {
            Add-TestClusterFault -CutLogStreams -AfterLines 200 -Count 5
            Add-TestClusterFault -CutLogStreams -AfterLines 150 -Count 5 -Abort
            $lines = $pod | Get-KPodLog -Follow -Raw
            $lines | Should -Be (1..3000 | ForEach-Object { "n $_" })
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'Wait-KPodCompletion rides out closed and expired watches and a 3 s outage' {
        # The faults come once the wait has its pod, and the pod ends only when told to, after the outage: the wait
        # has to outlive all of them to see the end, however loaded the machine.
        $pod = New-KPod -Image alpine -Command sh -Argument '-c', "$(Get-ReleaseWaitScript); exit 3" | Wait-KPodStart
        $waiting = Start-InRunspace 'param($pod) $pod | Wait-KPodCompletion -ErrorAction SilentlyContinue' -ArgumentList $pod
        try {
            Wait-InRunspaceProgress $waiting
            Close-TestClusterWatch -ExpireNext
            Start-TestClusterOutage -Seconds 3
            Wait-TestClusterAvailable
            Send-PodRelease $pod
            $done = Complete-InRunspace $waiting
            $done.Phase | Should -Be 'Failed'
            $done.ExitCode | Should -Be 3
        }
        finally {
            Wait-TestClusterAvailable
            Stop-InRunspace $waiting
            $pod | Remove-KPod -Force
        }
    }

    It 'Wait-KPodCompletion -ShowLogs outputs a succeeded pod with a warning when its log cannot be read' {
        $pod = New-KPod -Image alpine -Command sh -Argument '-c', 'echo done'
        try {
            # One failure more than the 5 attempts of the retry policy.
            Add-TestClusterFault -Status 500 -Method GET -Path '/api/v1/namespaces/*/pods/*/log' -Count 6
            $done = $pod | Wait-KPodCompletion -ShowLogs -WarningVariable warned -WarningAction SilentlyContinue -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed | Should -BeNullOrEmpty
            $done.Phase | Should -Be 'Succeeded'
            $warned | Should -HaveCount 1
            "$($warned[0])" | Should -BeLike "*pod default/$($pod.Name) could not be read to the end*500*"
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'Invoke-KPod -ShowLogs returns a succeeded result with a warning when the log cannot be read' {
        Add-TestClusterFault -Status 500 -Method GET -Path '/api/v1/namespaces/*/pods/*/log' -Count 6
        $result = Invoke-KPod -Image alpine -Command sh -Argument '-c', 'echo done' -ShowLogs -WarningVariable warned -WarningAction SilentlyContinue -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -BeNullOrEmpty
        $result.Phase | Should -Be 'Succeeded'
        $result.Deleted | Should -BeTrue
        $warned | Should -HaveCount 1
        "$($warned[0])" | Should -BeLike "*pod default/$($result.Name) could not be read to the end*500*"
    }

    It 'Wait-KPodCompletion -ShowLogs still reports a failed pod as PodFailed when its log cannot be read' {
        $pod = New-KPod -Image alpine -Command sh -Argument '-c', 'exit 4'
        try {
            # Exactly the 5 attempts of the follow, so the diagnosis after them reads the log again.
            Add-TestClusterFault -Status 500 -Method GET -Path '/api/v1/namespaces/*/pods/*/log' -Count 5
            $done = $pod | Wait-KPodCompletion -ShowLogs -WarningVariable warned -WarningAction SilentlyContinue -ErrorVariable failed -ErrorAction SilentlyContinue
            $done.Phase | Should -Be 'Failed'
            $failed | Should -HaveCount 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'PodFailed,*'
            $warned | Should -HaveCount 1
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'names an OOM kill in the PodFailed error' {
        $pod = New-KPod -Image alpine -Command sh -Argument '-c', 'echo loading; sleep 300'
        try {
            $pod | Get-KPodLog -Follow | Select-Object -First 1 | Out-Null
            Stop-TestClusterContainer -Pod $pod.Name -ExitCode 137 -Reason OOMKilled
            $done = $pod | Wait-KPodCompletion -ErrorVariable failed -ErrorAction SilentlyContinue
            $done.Status | Should -Be 'OOMKilled'
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'PodFailed,*'
            $failed[0].Exception.Diagnosis.Reason | Should -Be 'OOMKilled'
            $failed[0].ErrorDetails.RecommendedAction | Should -Match 'memory limit'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'names an eviction in the PodFailed error' {
        $pod = New-KPod -Image alpine -Command sleep -Argument 300 | Wait-KPodStart
        try {
            Invoke-TestClusterEviction -Pod $pod.Name
            $done = $pod | Wait-KPodCompletion -ErrorVariable failed -ErrorAction SilentlyContinue
            $done.Reason | Should -Be 'Evicted'
            $done.Phase | Should -Be 'Failed'
            $failed[0].Exception.Diagnosis.Reason | Should -Be 'Evicted'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'keeps a hundred waits on one watch' {
        $suite = New-TestName 'hundred'
        $pods = 1..100 | ForEach-Object { [pscustomobject]@{ Image = 'alpine'; Command = 'sh'; Argument = @('-c', 'sleep 1'); Label = @{ suite = $suite } } } | New-KPod
        try {
            Reset-TestClusterRequestCount
            $done = $pods | Wait-KPodCompletion
            $done | Should -HaveCount 100
            $counts = Get-TestClusterRequestCount
            $counts['watch pods'] | Should -BeLessOrEqual 3
            $counts['get pods'] | Should -BeLessOrEqual 200
        }
        finally {
            Get-KPod -Selector "suite=$suite" | Remove-KPod -Force
        }
    }
}
