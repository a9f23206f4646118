BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
}

Describe 'Get-KPodEvent' {
    It 'lists the lifecycle events of a pod, oldest first, as KPodEvent objects' {
        $pod = New-KPod -Image alpine -Command true | Wait-KPodCompletion
        try {
            $events = $pod | Get-KPodEvent
            $events | ForEach-Object { $_ | Should -BeOfType ([PodManager.KPodEvent]) }
            $events.Reason | Should -Contain 'Scheduled'
            $events.Reason | Should -Contain 'Started'
            $events[0].Reason | Should -Be 'Scheduled'
            ($events | Where-Object Reason -EQ 'Started').Source | Should -Match 'kubelet'
            ($events | Where-Object Reason -EQ 'Started').FieldPath | Should -Be 'spec.containers{base}'
            $events | Where-Object { $_.Pod -ne $pod.Name } | Should -BeNullOrEmpty
        }
        finally {
            $pod | Remove-KPod
        }
    }

    It 'writes PodNotFound for a pod that does not exist, as its help says' {
        $events = Get-KPodEvent -Name "no-such-pod-$(Get-Random)" -ErrorAction SilentlyContinue -ErrorVariable missing
        $events | Should -BeNullOrEmpty
        $missing | Should -HaveCount 1
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'PodNotFound,*'
        (Get-Help Get-KPodEvent).description.Text -join ' ' | Should -Match 'does not exist is a non-terminating PodNotFound error'
    }

    It 'keeps only Warning events with -Type Warning' {
        $pod = New-KPod -Image 'does-not-exist/app' -Command true
        try {
            $pod | Wait-KPodStart -ErrorAction SilentlyContinue | Out-Null
            $warnings = $pod | Get-KPodEvent -Type Warning
            $warnings | Should -Not -BeNullOrEmpty
            $warnings.Type | Sort-Object -Unique | Should -Be 'Warning'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'streams new events with -Watch, each once, until the pipeline has enough' {
        $pod = New-KPod -Image alpine -Command sh -Argument '-c', 'sleep 1; echo done'
        try {
            $seen = $pod | Get-KPodEvent -Watch | Select-Object -First 4
            $seen.Reason | Should -Be @('Scheduled', 'Pulling', 'Pulled', 'Created')
            @($seen.Name | Sort-Object -Unique).Count | Should -Be 4
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'formats like kubectl get events' {
        $pod = New-KPod -Image alpine -Command true | Wait-KPodCompletion
        try {
            ($pod | Get-KPodEvent | Format-Table | Out-String) | Should -Match 'LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE'
        }
        finally {
            $pod | Remove-KPod
        }
    }
}
