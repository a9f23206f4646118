# Everyday use, as a runbook author sees it: views that read like kubectl, logs that are seen, batches that can be
# followed, errors that read well. Views are checked as text, outputs as objects.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestCluster.psm1') -Force
    Initialize-PodManagerTest

    function Invoke-ReleasingFirst {
        <#
            Runs -Script on the batch -Specs (its $args[0]) in a runspace. The first spec's pod (named, running
            Get-ReleaseWaitScript) is released once Invoke-KPod's overall progress bar counts -Done pods done, so it ends
            after them however slow the machine. Returns the script's output.
        #>
        param([Parameter(Mandatory)] [object[]] $Specs, [Parameter(Mandatory)] [int] $Done, [Parameter(Mandatory)] [string] $Script)
        $run = Start-InRunspace $Script -ArgumentList (, $Specs)
        try {
            $deadline = [DateTime]::UtcNow.AddMinutes(3)
            while (-not @($run.PowerShell.Streams.Progress | Where-Object { $_.Activity -eq 'Invoke-KPod' -and $_.StatusDescription -like "$Done done,*" })) {
                if ([DateTime]::UtcNow -gt $deadline) { throw "The batch did not have $Done pods done within 3 minutes; errors so far: $($run.PowerShell.Streams.Error -join '; ')" }
                Start-Sleep -Milliseconds 100
            }
            Send-PodRelease @{ Namespace = 'default'; Name = $Specs[0].Name }
            Complete-InRunspace $run
        }
        finally {
            Stop-InRunspace $run
        }
    }
    $script:root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
}

Describe 'Views that read like kubectl' {
    BeforeAll {
        $script:pod = New-KPod -Image alpine -Command sleep -Argument 300 | Wait-KPodStart
    }
    AfterAll {
        $script:pod | Remove-KPod -Force
    }

    It 'starts the table of Get-KPod -AllNamespaces with NAMESPACE, as kubectl get pods -A' {
        $text = Get-KPod -AllNamespaces -Selector app.kubernetes.io/managed-by=PodManager | Out-String -Width 250
        $header = ($text -split "`n" | Where-Object { $_.Trim() } | Select-Object -First 1).Trim()
        $header | Should -Match '^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$'
        $text | Should -Match "default\s+$([regex]::Escape($script:pod.Name))\s+1/1\s+Running"
        (Get-KPod -Name $script:pod.Name | Out-String -Width 250) | Should -Match '^\s*NAME\s+READY' -Because 'one namespace needs no NAMESPACE column'
    }

    It 'has a Wide view with kubectl''s -o wide columns, and ages as kubectl prints them' {
        $text = Get-KPod -Name $script:pod.Name | Format-Table -View Wide | Out-String -Width 250
        $text | Should -Match 'NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES'
        $line = $text -split "`n" | Where-Object { $_ -match [regex]::Escape($script:pod.Name) }
        $line | Should -Match "\s\d+(s|m\d*s?|h)\s+$([regex]::Escape($script:pod.PodIP))\s+$([regex]::Escape($script:pod.Node))\s+<none>\s+<none>\s*$"
        $script:pod.Age | Should -BeOfType ([TimeSpan])
        [PodManager.KubeDuration]::Format([TimeSpan]::FromSeconds(5)) | Should -Be '5s'
        [PodManager.KubeDuration]::Format([TimeSpan]::FromSeconds(182)) | Should -Be '3m2s'
        [PodManager.KubeDuration]::Format([TimeSpan]::FromHours(4)) | Should -Be '4h'
        [PodManager.KubeDuration]::Format([TimeSpan]::FromDays(2)) | Should -Be '2d'
    }

    It 'gives the whole pod as PowerShell objects with -Raw' {
        $raw = Get-KPod -Name $script:pod.Name -Raw
        $raw | Should -HaveCount 1
        $raw | Should -BeOfType ([pscustomobject])
        $raw.kind | Should -Be 'Pod'
        $raw.apiVersion | Should -Be 'v1'
        $raw.metadata.name | Should -Be $script:pod.Name
        $raw.spec.containers[0].command | Should -Be 'sleep'
        $raw.spec.containers[0].args | Should -Be '300'
        $raw.status.phase | Should -Be 'Running'
        (Get-KPod -AllNamespaces -Raw -Selector app.kubernetes.io/managed-by=PodManager).metadata.name | Should -Contain $script:pod.Name
    }

    It 'converts to JSON with enum names' {
        ($script:pod | Select-Object Name, Phase | ConvertTo-Json) | Should -Match '"Phase": "Running"'
        ($script:pod | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue | ConvertFrom-Json).Phase | Should -Be 'Running'
    }
}

Describe 'Invoke-KPod results say whether they reattached, and which input they came from' {
    It 'shows a REATTACHED column, and -Verbose says which pod a run reattached to' {
        $key = "reattach-$(Get-Random)"
        # The first pod ends only once the run has reattached to it and reported it running, however slow the machine.
        $started = New-KPod -Image alpine -Command sh -Argument '-c', "$(Get-ReleaseWaitScript); echo done" -RunKey $key | Wait-KPodStart
        $run = Start-InRunspace "Invoke-KPod -Image alpine -Command sh -Argument '-c', 'echo done' -RunKey '$key' -Verbose 4>&1"
        try {
            Wait-InRunspaceProgress $run
            Send-PodRelease $started
            $output = Complete-InRunspace $run
        }
        finally {
            Stop-InRunspace $run
            Get-KPod -Name $started.Name -ErrorAction Ignore | Remove-KPod -Force
        }
        $result = $output | Where-Object { $_ -is [PodManager.KPodResult] }
        $result.Reattached | Should -BeTrue
        $result.Name | Should -Be $started.Name
        $verbose = ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message
        $verbose | Should -Contain "Reattached to pod default/$($started.Name) of run key '$key' instead of creating another."
        ($result | Out-String -Width 250) | Should -Match 'REATTACHED'
        ($result | Out-String -Width 250) | Should -Match "$([regex]::Escape($started.Name)).*True"
    }

    It 'says which input each result came from, and keeps input order with -PreserveOrder' {
        # The first pod ends only after the other two are done, so it finishes last and -PreserveOrder must hold it first.
        $specs = @(
            [pscustomobject]@{ Image = 'alpine'; Command = 'sh'; Argument = '-c', "$(Get-ReleaseWaitScript); echo first"; Tag = 'first'; Name = "first-$(Get-Random)" }
            [pscustomobject]@{ Image = 'alpine'; Command = 'sh'; Argument = '-c', 'echo second'; Name = "second-$(Get-Random)" }
            [pscustomobject]@{ Image = 'alpine'; Command = 'sh'; Argument = '-c', 'echo third' }
        )
        $results = Invoke-ReleasingFirst -Specs $specs -Done 2 -Script '$args[0] | Invoke-KPod -ThrottleLimit 3 -PreserveOrder'
        $results.InputIndex | Should -Be 0, 1, 2
        $results[0].Tag | Should -Be 'first' -Because '-Tag labels the result, before -Name'
        $results[1].Tag | Should -Be $specs[1].Name -Because 'without -Tag, the -Name given labels the result'
        $results[2].Tag | Should -BeNullOrEmpty
        $results.Phase | Should -Be 'Succeeded', 'Succeeded', 'Succeeded'
    }

    It 'shows one overall progress bar over the pods of a batch, the pods'' bars under it' {
        $run = Start-InRunspace "1..3 | ForEach-Object { [pscustomobject]@{ Image = 'alpine'; Command = 'sh'; Argument = '-c', 'echo `$_' } } | Invoke-KPod -ThrottleLimit 2"
        try {
            $results = Complete-InRunspace $run
            $results | Should -HaveCount 3
            $progress = @($run.PowerShell.Streams.Progress)
            $overall = @($progress | Where-Object Activity -EQ 'Invoke-KPod')
            $overall | Should -Not -BeNullOrEmpty
            $overall[0].StatusDescription | Should -Match '^\d+ done, \d+ running, \d+ pending, \d+ failed \(of \d+ pods so far\)$'
            $overall[-1].RecordType | Should -Be 'Completed'
            $overall[-1].StatusDescription | Should -Be '3 done, 0 running, 0 pending, 0 failed (of 3 pods so far)'
            $id = $overall[0].ActivityId
            @($progress | Where-Object { $_.Activity -like 'Running pod *' -and $_.ParentActivityId -eq $id }) | Should -Not -BeNullOrEmpty
        }
        finally {
            Stop-InRunspace $run
        }
    }
}

Describe 'Logs that are seen' {
    It 'shows -ShowLogs lines in the console by default, and still lets -InformationVariable capture them' {
        $script = @"
Import-Module '$env:PODMANAGER_TEST_MODULE'
`$result = Invoke-KPod -Image alpine -Command sh -Argument '-c', 'echo visible-line-1; echo visible-line-2' -ShowLogs -InformationVariable captured
"captured: `$((`$captured.MessageData | ForEach-Object Message) -join ',')"
`$redirected = Invoke-KPod -Image alpine -Command sh -Argument '-c', 'echo redirected-line' -ShowLogs 6>&1
"redirected: `$((`$redirected | Where-Object { `$_ -is [System.Management.Automation.InformationRecord] }).MessageData.Message)"
"@
        $output = @(Invoke-FreshPwsh $script)
        $output | Should -Contain 'visible-line-1'
        $output | Should -Contain 'visible-line-2'
        $output | Should -Contain 'captured: visible-line-1,visible-line-2'
        $output | Should -Contain 'redirected: redirected-line'
        $output | Should -Not -Contain 'redirected-line' -Because '6>&1 takes the line off the console'
    }

    It 'prefixes each line with its pod and container when several pods run at once, as kubectl logs --prefix' {
        # a ends only after b is done, so both run at once.
        $specs = @(
            [pscustomobject]@{ Image = 'alpine'; Command = 'sh'; Argument = '-c', "$(Get-ReleaseWaitScript); echo from-a"; Name = "a-$(Get-Random)" }
            [pscustomobject]@{ Image = 'alpine'; Command = 'sh'; Argument = '-c', 'echo from-b' }
        )
        $run = Invoke-ReleasingFirst -Specs $specs -Done 1 -Script @'
$results = $args[0] | Invoke-KPod -ShowLogs -InformationVariable lines -InformationAction SilentlyContinue
[pscustomobject]@{ Results = $results; Lines = $lines }
'@
        $results = $run.Results
        $lines = $run.Lines
        foreach ($message in 'from-a', 'from-b') {
            $line = ($lines.MessageData | Where-Object Message -EQ $message)
            $result = $results | Where-Object Name -EQ $line.Pod
            "$line" | Should -Be "[pod/$($result.Name)/base] $message"
        }
    }

    It 'sends the lines to the Verbose or Output stream with -LogStream, for hosts that drop the Information stream' {
        $verbose = Invoke-KPod -Image alpine -Command sh -Argument '-c', 'echo to-verbose' -ShowLogs -LogStream Verbose -Verbose 4>&1 6>$null
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain 'to-verbose'

        $output = Invoke-KPod -Image alpine -Command sh -Argument '-c', 'echo to-output' -ShowLogs -LogStream Output 6>$null
        $output[0] | Should -BeOfType ([PodManager.KPodLogLine])
        $output[0].Message | Should -Be 'to-output'
        $output[-1] | Should -BeOfType ([PodManager.KPodResult])

        $pod = New-KPod -Image alpine -Command sh -Argument '-c', 'echo waited-for'
        try {
            $waited = $pod | Wait-KPodCompletion -ShowLogs -LogStream Output 6>$null
            $waited[0].Message | Should -Be 'waited-for'
            $waited[-1] | Should -BeOfType ([PodManager.KPod])
        }
        finally {
            $pod | Remove-KPod
        }
    }

    It 'keeps the last log lines in the result after the pod is gone, as many as -LastLogLines says' {
        $result = Invoke-KPod -Image alpine -Command sh -Argument '-c', 'seq 1 30'
        $result.Deleted | Should -BeTrue
        $result.LastLogLines | Should -Be (11..30 | ForEach-Object { "$_" }) -Because '20 lines are kept by default'
        (Invoke-KPod -Image alpine -Command sh -Argument '-c', 'seq 1 30' -LastLogLines 3).LastLogLines | Should -Be '28', '29', '30'
        (Invoke-KPod -Image alpine -Command sh -Argument '-c', 'seq 1 30' -LastLogLines 0).LastLogLines | Should -BeNullOrEmpty
        $failed = Invoke-KPod -Image alpine -Command sh -Argument '-c', 'echo before-failing; exit 2' -ErrorAction SilentlyContinue
        $failed.LastLogLines | Should -Be 'before-failing'
    }
}

Describe 'Errors that read well' {
    It 'shows a failed pod as one line naming the pod, reason and exit code, with its last log lines below' {
        $null = Invoke-KPod -Image alpine -Command sh -Argument '-c', 'echo checking; echo broken input; exit 3' -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed | Should -HaveCount 1
        $lines = $failed[0].ErrorDetails.Message -split "`n"
        $lines[0] | Should -Match '^Pod default/\S+ failed: Error, exit code 3$'
        $lines | Should -Contain '  last log lines of base:'
        $lines | Should -Contain '    broken input'
        $lines.Count | Should -BeLessOrEqual 12
        $failed[0].Exception.Diagnosis.ExitCode | Should -Be 3 -Because 'the full diagnosis stays on the exception'
        $failed[0].Exception.Message | Should -Match 'exit'
    }

    It 'says what to give instead when a kubeconfig is given the wrong way round' {
        $lines = { Connect-KCluster -KubeConfigContent (Get-Content $env:KUBECONFIG) } | Should -Throw -PassThru
        $lines.FullyQualifiedErrorId | Should -BeLike 'InvalidParameterValue,*'
        $lines.Exception.Message | Should -Match 'one per line, as Get-Content without -Raw.*-KubeConfigContent \(Get-Content -Raw <file>\)'

        $path = { Connect-KCluster -KubeConfigContent $env:KUBECONFIG } | Should -Throw -PassThru
        $path.Exception.Message | Should -Match "was given the path of a file.*Connect-KCluster -KubeConfig '"

        $text = { Get-KPod -KubeConfig (Get-Content -Raw $env:KUBECONFIG) } | Should -Throw -PassThru
        $text.FullyQualifiedErrorId | Should -BeLike 'InvalidParameterValue,*'
        $text.Exception.Message | Should -Match '-KubeConfig takes the path of a kubeconfig file, and was given kubeconfig text'
        $text.Exception.Message | Should -Not -Match 'client-key-data|token:' -Because 'the text holds credentials'
    }

    It 'tells a thread job that it does not inherit the session connection' {
        $script = @"
Import-Module '$env:PODMANAGER_TEST_MODULE'
`$content = Get-Content -Raw '$env:KUBECONFIG'
Remove-Item Env:KUBECONFIG
`$env:HOME = '$(Join-Path $TestDrive 'empty-home')'
Connect-KCluster -KubeConfigContent `$content | Out-Null
`$id = 1 | ForEach-Object -Parallel {
    Import-Module '$env:PODMANAGER_TEST_MODULE'
    try { Get-KPod -ErrorAction Stop | Out-Null; 'no error' } catch { `$_.FullyQualifiedErrorId + '|' + `$_.Exception.Message }
}
`$id
"@
        $output = @(Invoke-FreshPwsh $script)
        $id, $message = $output[-1] -split '\|', 2
        $id | Should -BeLike 'ConnectionNotInherited,*'
        $message | Should -Match 'does not inherit it'
        $message | Should -Match 'Connect-KCluster -KubeConfigContent \$using:kubeconfig'
    }

    It 'takes -Argument on Invoke-KPodCommand, as New-KPod does' {
        $pod = New-KPod -Image alpine -Command sleep -Argument 300 | Wait-KPodStart
        try {
            $pod | Invoke-KPodCommand -Command sh -Argument '-c', 'echo "got $0 and $1"', 'first', 'second one' -Raw | Should -Be 'got first and second one'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'points Get-Help -Online of every cmdlet at its page in the repository' {
        foreach ($command in Get-Command -Module PodManager -CommandType Cmdlet) {
            $command.HelpUri | Should -Be "https://github.com/PodManager/PodManager/blob/main/docs/help/$($command.Name).md"
            Join-Path $script:root "docs/help/$($command.Name).md" | Should -Exist
        }
    }
}
