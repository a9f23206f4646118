# The module's help as a user meets it: Get-Help for every exported cmdlet (a synopsis of its own, a
# description, every parameter described, at least two examples), about_PodManager (with every error id
# of the catalog, [PodManager.ErrorIds], and no other), and every example of every cmdlet and of about_PodManager
# executed as written, with $ErrorActionPreference = 'Stop', leaving no pod behind.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest

    $script:cmdletNames = @((Get-Module PodManager).ExportedCmdlets.Keys | Sort-Object)

    # One test case per example, as Get-Help shows it (that is the text users copy).
    $script:examples = foreach ($name in $cmdletNames) {
        $number = 0
        foreach ($example in @((Get-Help $name -Full).examples.example | Where-Object { $_ })) {
            $number++
            @{
                Command = $name
                Number  = $number
                Title   = ($example.title -replace '^-+\s*|\s*-+$', '')
                Code    = [string] $example.code
            }
        }
    }

    # And each example of about_PodManager's EXAMPLES, as Get-Help shows it: a sentence at 4 spaces, then its code at 8.
    $about = (Get-Help about_PodManager | Out-String) -split '\r?\n'
    $section = $about[([array]::IndexOf($about, 'EXAMPLES') + 1)..([array]::IndexOf($about, 'SEE ALSO') - 1)]
    $number = 0
    $title = ''
    $code = [Collections.Generic.List[string]]::new()
    $script:examples += foreach ($line in @($section) + '    (end)') {
        if ($line -match '^ {8}(.*)$') { $code.Add($Matches[1]); continue }
        if ($line -notmatch '^ {4}(\S.*)$') { continue }
        if ($code.Count) {
            $number++
            @{ Command = 'about_PodManager'; Number = $number; Title = $title.TrimEnd(':'); Code = $code -join "`n" }
            $title = ''
            $code.Clear()
        }
        $title = "$title $($Matches[1])".Trim()
    }

    # Every error id the module can write, with its category: the catalog every PodManagerException is made
    # from ([PodManager.ErrorIds]), so that a new id without documentation fails.
    $script:errorIds = @([PodManager.ErrorIds]::All | ForEach-Object { @{ Id = $_.Name; Category = "$($_.Category)" } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
    $script:helpSource = Join-Path $PSScriptRoot '../../docs/help'
    $script:ignoredParameters = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

    function Get-LivePod {
        <# Every pod of the cluster, in all namespaces, that is not being deleted, as "namespace/name", read with kubectl. #>
        $template = '{range .items[*]}{.metadata.namespace}/{.metadata.name} {.metadata.deletionTimestamp}{"\n"}{end}'
        @(Invoke-Kubectl get pods --all-namespaces "--output=jsonpath=$template" |
            Where-Object { $_ -match '^(\S+)\s*$' } | ForEach-Object { $Matches[1] })
    }

    function Invoke-Example {
        <#
            Runs an example's code as written, with $ErrorActionPreference = 'Stop', in a scope that sees only
            the global one (nothing of the test leaks in), and returns what it output, formatted as a user sees it.
            Returns the pods the example left behind (removing them) and whether it left a session connection.
        #>
        param([Parameter(Mandatory)] [string] $Code)
        # Examples run one after another and remove what they leave, so what the last one saw is what this one starts with.
        $before = if ($null -ne $script:livePods) { $script:livePods } else { Get-LivePod }
        $scope = New-Module -ScriptBlock { }
        $failure = $null
        $output = $null
        # An example that sets defaults for the session removes them on its last lines; one that fails before must not
        # leave them to the tests that follow.
        $defaults = $global:PSDefaultParameterValues.Clone()
        try {
            $output = & $scope ([scriptblock]::Create("`$ErrorActionPreference = 'Stop'`n$Code")) *>&1 | Out-String -Width 160
        }
        catch {
            $failure = $_
        }
        finally {
            $global:PSDefaultParameterValues.Clear()
            foreach ($key in $defaults.Keys) { $global:PSDefaultParameterValues[$key] = $defaults[$key] }
        }
        $connected = @(Disconnect-KCluster -Verbose 4>&1)
        $after = Get-LivePod
        $left = @($after | Where-Object { $_ -notin $before })
        foreach ($pod in $left) {
            $namespace, $name = $pod -split '/', 2
            Invoke-Kubectl delete pod $name "--namespace=$namespace" --grace-period=0 --force --wait=false | Out-Null
        }
        $script:livePods = @($after | Where-Object { $_ -notin $left })
        [pscustomobject]@{ Output = $output; Failure = $failure; LeftPods = $left; LeftConnection = $connected.Count -gt 0 }
    }
}

Describe 'Help of <_>' -ForEach $cmdletNames {
    BeforeAll {
        $script:name = $_
        $script:help = Get-Help $name -Full
        $script:command = Get-Command $name
    }

    It 'has a help source, docs/help/<_>.md' {
        Join-Path $helpSource "$name.md" | Should -Exist
    }

    It 'has a synopsis of its own: one sentence, not the generated syntax' {
        $synopsis = "$($help.Synopsis)".Trim()
        $synopsis | Should -Not -BeNullOrEmpty
        $synopsis | Should -Not -Match ([regex]::Escape($name))
        $synopsis | Should -Not -Match '\[-'
        $synopsis | Should -Match '^[A-Z].*\.$'
        @($synopsis -split '(?<=\.)\s+(?=[A-Z])') | Should -HaveCount 1 -Because 'a synopsis is one sentence'
    }

    It 'has a description that says what it outputs and which errors it writes' {
        $description = ($help.description | ForEach-Object { $_.Text }) -join "`n"
        $description.Length | Should -BeGreaterThan 300
        if ($command.OutputType.Count -and $command.OutputType.Type -notcontains [void]) {
            $outputs = $command.OutputType.Type | ForEach-Object { if ($_ -eq [psobject]) { 'object' } else { $_.Name } }
            $description | Should -Match (($outputs | ForEach-Object { [regex]::Escape($_) }) -join '|')
        }
    }

    It 'describes every parameter of every parameter set' {
        $parameters = $command.Parameters.Keys | Where-Object { $_ -notin $ignoredParameters }
        $undescribed = foreach ($parameter in $parameters) {
            $entry = $help.parameters.parameter | Where-Object { $_.name -eq $parameter }
            $text = ($entry.description | ForEach-Object { $_.Text }) -join ' '
            if ($text.Trim().Length -lt 20) { $parameter }
        }
        $undescribed | Should -BeNullOrEmpty -Because "every parameter of $name needs a description"
    }

    It 'describes no parameter that does not exist' {
        $path = Join-Path $helpSource "$name.md"
        $path | Should -Exist
        $source = Get-Content -Raw $path
        $documented = [regex]::Matches($source, '(?m)^### -(\w+)\s*$') | ForEach-Object { $_.Groups[1].Value }
        $documented | Where-Object { $_ -notin $command.Parameters.Keys } | Should -BeNullOrEmpty
    }

    It 'has at least two examples, each with code and remarks' {
        $examples = @($help.examples.example | Where-Object { $_ })
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            "$($example.code)".Trim() | Should -Not -BeNullOrEmpty
            "$($example.code)" | Should -Match ([regex]::Escape($name))
            (($example.remarks | ForEach-Object { $_.Text }) -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "example '$($example.title)' needs remarks"
        }
    }

    It 'links to about_PodManager' {
        $help.relatedLinks.navigationLink.linkText | Should -Contain 'about_PodManager'
    }
}

Describe 'about_PodManager' {
    BeforeAll {
        $script:about = Get-Help about_PodManager | Out-String
        # The ids of the table of errors: its rows are an id, two spaces or more, then a category.
        $table = [regex]::Match($about, '(?s)Error id and category, who writes it, and when:(.*?)\n\s*PowerShell itself reports').Groups[1].Value
        $script:documentedIds = @([regex]::Matches($table, '(?m)^\s*([A-Za-z]+)\s{2,}[A-Za-z]+\s*$') | ForEach-Object { $_.Groups[1].Value })
    }

    It 'is found by Get-Help' {
        $about | Should -Match 'about_PodManager'
    }

    It 'has the section <_>' -ForEach @(
        'TOPIC', 'SHORT DESCRIPTION', 'LONG DESCRIPTION', 'CONNECTIONS', 'PIPELINE', 'XCOM', 'FINISH ACTIONS', 'WAITING',
        'LOGS', 'ERRORS', 'DURATIONS', 'STREAMS', 'TAB COMPLETION', 'TEST CLUSTER', 'SEE ALSO'
    ) {
        $about | Should -MatchExactly "(?m)^$([regex]::Escape($_))\s*$"
    }

    It 'has examples, which the example runner runs (<_> found)' -ForEach @(@($examples | Where-Object Command -EQ 'about_PodManager').Count) {
        $_ | Should -BeGreaterOrEqual 4
    }

    It 'names every cmdlet' {
        foreach ($name in (Get-Module PodManager).ExportedCmdlets.Keys) { $about | Should -Match "\b$name\b" }
    }

    It 'finds the error ids in the catalog, so the next tests cannot pass vacuously' {
        $ids = $errorIds.Id
        $ids.Count | Should -BeGreaterThan 30
        foreach ($known in 'PodNotFound', 'PodFailed', 'PodLaunchFailed', 'Forbidden', 'XComInvalidJson', 'CommandFailed', 'KubeConfigNotFound', 'InvalidManifest') {
            $ids | Should -Contain $known
        }
        $documentedIds.Count | Should -BeGreaterThan 30
    }

    It 'documents error id <Id> with its category <Category>' -ForEach $errorIds {
        # A row of the table: the id, two spaces or more, then its category.
        $line = $about -split "`n" | Where-Object { $_ -cmatch "^\s*$Id\s{2,}\S" }
        $line | Should -HaveCount 1 -Because "about_PodManager must list $Id once in its table of errors"
        $line | Should -MatchExactly "\b$Category\b"
    }

    It 'documents no error id that the catalog does not have' {
        $documentedIds | Where-Object { $_ -cnotin $errorIds.Id } | Should -BeNullOrEmpty -Because 'every id in the table of errors must be one the module can write'
    }
}

Describe 'Example <Number> of <Command>' -ForEach $examples {
    It '<Title> runs as written and leaves no pod behind' {
        $run = Invoke-Example $Code
        if ($run.Failure) {
            $record = $run.Failure
            throw "The example failed at its line $($record.InvocationInfo.ScriptLineNumber - 1): $($record.FullyQualifiedErrorId): $($record.Exception.Message)`nOutput so far:`n$($run.Output)`nPods left behind: $($run.LeftPods -join ', ')"
        }
        $run.LeftPods | Should -BeNullOrEmpty -Because 'an example removes every pod it creates'
        $run.LeftConnection | Should -BeFalse -Because 'an example that connects a session disconnects it again'
    }
}

Describe 'The example runner' {
    It 'notices a pod that an example leaves behind, and an error it writes' {
        $run = Invoke-Example "New-KPod -Image alpine -Command sleep -Argument 60 -Name $(New-TestName help-leak) | Out-Null"
        $run.LeftPods | Should -HaveCount 1
        $run.LeftPods[0] | Should -BeLike 'default/help-leak-*'
        (Invoke-Example "Get-KPod -Name $(New-TestName help-missing)").Failure.FullyQualifiedErrorId | Should -BeLike 'PodNotFound,*'
    }

    It 'notices a session connection that an example leaves behind' {
        (Invoke-Example 'Connect-KCluster | Out-Null').LeftConnection | Should -BeTrue
    }
}
