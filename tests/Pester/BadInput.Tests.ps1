# Bad input, table-driven: every cmdlet, every kind of parameter, fed what a careless script gives. Each case asserts
# an ErrorRecord with a specific id (never a .NET exception type), a message that names the input and says what to do,
# no cast error or assembly-qualified type name, and nothing left behind: no pod, no child process, no temp file.
# A new parameter is one more row in the tables below (docs/reliability.md).

BeforeDiscovery {
    $cases = [System.Collections.Generic.List[hashtable]]::new()
    function Add-Case {
        param([string] $Command, [hashtable] $Splat = @{}, $Pipe, [string] $Id, [string[]] $Names, [string] $Why)
        $shown = @($Splat.GetEnumerator() | Sort-Object Key | ForEach-Object { "-$($_.Key) $($_.Value)" }) -join ' '
        $cases.Add(@{ Case = "$(if ($null -ne $Pipe) { "$Why | " })$Command $shown".Trim(); Command = $Command; Splat = $Splat; Pipe = $Pipe; HasPipe = $null -ne $Pipe; Id = $Id; Names = $Names })
    }

    # The smallest valid call of each cmdlet; {pod} is a running pod of this file, {nosuch} a pod that does not exist.
    $base = [ordered]@{
        'Connect-KCluster'    = @{}
        'Get-KPod'            = @{}
        'Get-KPodEvent'       = @{ Name = '{pod}' }
        'Get-KPodLog'         = @{ Name = '{pod}' }
        'Get-KPodXCom'        = @{ Name = '{pod}' }
        'Invoke-KPod'         = @{ Image = 'alpine'; Command = 'true' }
        'Invoke-KPodCommand'  = @{ Name = '{pod}'; Command = 'true' }
        'New-KPod'            = @{ Image = 'alpine'; Command = 'true' }
        'Remove-KPod'         = @{ Name = '{nosuch}' }
        'Wait-KPodCompletion' = @{ Name = '{pod}' }
        'Wait-KPodStart'      = @{ Name = '{pod}' }
    }
    function With([string] $Command, [hashtable] $Extra) { $splat = $base[$Command].Clone(); foreach ($k in $Extra.Keys) { $splat[$k] = $Extra[$k] }; $splat }

    # Time limits: longer than a timer holds, not a duration, negative.
    $timeLimits = @(
        @('Invoke-KPod', 'Timeout'), @('Invoke-KPod', 'ScheduleTimeout'), @('Invoke-KPod', 'StartupTimeout'),
        @('Wait-KPodCompletion', 'Timeout'), @('Wait-KPodCompletion', 'ScheduleTimeout'),
        @('Wait-KPodStart', 'ScheduleTimeout'), @('Wait-KPodStart', 'StartupTimeout'),
        @('Get-KPodXCom', 'Timeout'), @('Remove-KPod', 'Timeout'), @('Invoke-KPodCommand', 'Timeout'))
    foreach ($limit in $timeLimits) {
        $command, $parameter = $limit
        Add-Case $command (With $command @{ $parameter = '2000h' }) -Id ParameterArgumentTransformationError -Names '*2000h*', "*$parameter*"
        Add-Case $command (With $command @{ $parameter = [TimeSpan]::MaxValue }) -Id ParameterArgumentTransformationError -Names '*10675199*', "*$parameter*"
        Add-Case $command (With $command @{ $parameter = 1e300 }) -Id ParameterArgumentTransformationError -Names '*1E+300*', "*$parameter*"
        Add-Case $command (With $command @{ $parameter = 'soon' }) -Id ParameterArgumentTransformationError -Names '*soon*', "*$parameter*"
        Add-Case $command (With $command @{ $parameter = -5 }) -Id InvalidParameterValue -Names "*-$parameter*", '*-00:00:05*'
    }
    Add-Case Get-KPodLog (With Get-KPodLog @{ Since = 'soon' }) -Id ParameterArgumentTransformationError -Names '*soon*', '*Since*'
    Add-Case Get-KPodLog (With Get-KPodLog @{ Since = -5 }) -Id InvalidParameterValue -Names '*-Since*'

    # Connections: a kubeconfig that is missing, not a kubeconfig, empty text; a context that does not exist.
    foreach ($command in $base.Keys) {
        Add-Case $command (With $command @{ KubeConfig = '{missing}' }) -Id KubeConfigNotFound -Names '*{missing}*'
        Add-Case $command (With $command @{ KubeConfig = '{garbage}' }) -Id InvalidKubeConfig -Names '*{garbage}*'
        Add-Case $command (With $command @{ KubeConfig = '' }) -Id ParameterArgumentValidationError -Names '*KubeConfig*'
        Add-Case $command (With $command @{ Context = 'no-such-context' }) -Id ContextNotFound -Names '*no-such-context*'
    }
    Add-Case Connect-KCluster @{ KubeConfigContent = 'this: is: not: yaml: [' } -Id InvalidKubeConfig -Names '*kubeconfig*'
    Add-Case Connect-KCluster @{ InCluster = $true } -Id NotInCluster -Names '*service account*'

    # Pod references: empty, missing, in a namespace that does not exist; piped objects of the wrong shape.
    $podCommands = 'Get-KPodEvent', 'Get-KPodLog', 'Get-KPodXCom', 'Invoke-KPodCommand', 'Remove-KPod', 'Wait-KPodCompletion', 'Wait-KPodStart'
    foreach ($command in $podCommands) {
        Add-Case $command (With $command @{ Name = '' }) -Id ParameterArgumentValidationError -Names '*Name*'
        Add-Case $command (With $command @{ Namespace = '' }) -Id ParameterArgumentValidationError -Names '*Namespace*'
        if ($command -ne 'Remove-KPod') {
            # Removing a pod that does not exist is nothing to do, not an error (as kubectl delete --ignore-not-found).
            Add-Case $command (With $command @{ Name = '{nosuch}' }) -Id PodNotFound -Names '*{nosuch}*'
            Add-Case $command (With $command @{ Namespace = 'no-such-namespace' }) -Id PodNotFound -Names '*no-such-namespace*'
        }
        $piped = (With $command @{}); $piped.Remove('Name')
        Add-Case $command $piped -Pipe ([pscustomobject]@{ metadata = 'notanobject' }) -Why "[pscustomobject]@{ metadata = 'notanobject' }" -Id InvalidParameterValue -Names '*notanobject*'
        Add-Case $command $piped -Pipe ([pscustomobject]@{ metadata = [pscustomobject]@{ namespace = 'default' } }) -Why '[pscustomobject]@{ metadata = @{ namespace } }' -Id InvalidParameterValue -Names '*metadata*'
        if ($command -ne 'Remove-KPod') {
            Add-Case $command $piped -Pipe @{ Name = '{nosuch}' } -Why "@{ Name = '{nosuch}' }" -Id PodNotFound -Names '*{nosuch}*', "*'default'*"
        }
        Add-Case $command $piped -Pipe 42 -Why '42' -Id InputObjectNotBound -Names '*input object*'
        Add-Case $command $piped -Pipe ([pscustomobject]@{ Foo = 1 }) -Why '[pscustomobject]@{ Foo = 1 }' -Id InputObjectNotBound -Names '*input object*'
    }
    Add-Case Get-KPod @{ Name = '{nosuch}' } -Id PodNotFound -Names '*{nosuch}*'
    Add-Case Get-KPod @{ Name = '' } -Id ParameterArgumentValidationError -Names '*Name*'
    Add-Case Get-KPod @{ Namespace = '' } -Id ParameterArgumentValidationError -Names '*Namespace*'
    Add-Case Get-KPod @{ Selector = 'a in (b' } -Id BadRequest -Names '*a in (b*'
    Add-Case Get-KPod @{ FieldSelector = 'spec.bogus=1' } -Id BadRequest -Names '*spec.bogus*'

    # Manifests and pod parameters, for both cmdlets that make pods.
    foreach ($command in 'New-KPod', 'Invoke-KPod') {
        foreach ($manifest in @(
                @{ Value = '{binary}'; Names = '*binary*' }
                @{ Value = '{text}'; Names = '*not a pod manifest*' }
                @{ Value = '{empty}'; Names = '*empty*' }
                @{ Value = '{multidoc}'; Names = '*2 YAML documents*' }
                @{ Value = '{wrongtype}'; Names = '*spec.containers[[]0[]].command*' }
                @{ Value = '{unknownfield}'; Names = '*comand*' }
                @{ Value = '{deployment}'; Names = '*Deployment*' }
                @{ Value = '{badsyntax}'; Names = '*line*' }
                @{ Value = 42; Names = '*42*' }
                @{ Value = [datetime]'2026-01-02'; Names = '*2026*' }
                @{ Value = @{ apiVersion = 'v1'; kind = 'Pod'; metadata = @{ name = 'ht-bad' }; spec = @{ containers = 'notalist' } }; Names = '*spec.containers*', '*list*' }
                @{ Value = @{ apiVersion = 'v1'; kind = 'Pod'; spec = @{ containers = @(@{ name = 'base'; image = 'alpine'; resources = 'big' }) } }; Names = '*resources*' })) {
            Add-Case $command @{ Manifest = $manifest.Value } -Id InvalidManifest -Names $manifest.Names
        }
        Add-Case $command @{ Manifest = '/no/such/dir/pod.yaml' } -Id ManifestNotFound -Names '*/no/such/dir/pod.yaml*'
        Add-Case $command (With $command @{ Label = @{ a = @{ b = 1 } } }) -Id InvalidParameterValue -Names '*-Label*', "*'a'*"
        Add-Case $command (With $command @{ Annotation = @{ note = @(1, 2) } }) -Id InvalidParameterValue -Names '*-Annotation*', "*'note'*"
        Add-Case $command (With $command @{ Env = @{ A = $null } }) -Id InvalidParameterValue -Names '*-Env*', "*'A'*"
        Add-Case $command (With $command @{ NodeSelector = @{ zone = @{} } }) -Id InvalidParameterValue -Names '*-NodeSelector*', "*'zone'*"
        Add-Case $command (With $command @{ Cpu = 'lots' }) -Id InvalidParameterValue -Names '*lots*'
        Add-Case $command (With $command @{ Memory = 'much' }) -Id InvalidParameterValue -Names '*much*'
        Add-Case $command (With $command @{ Name = '---' }) -Id InvalidParameterValue -Names '*---*'
        Add-Case $command @{ Manifest = @{ apiVersion = 'v1'; kind = 'Pod'; spec = @{ containers = @(@{ name = 'Bad_Name'; image = 'alpine' }) } } } -Id InvalidPodSpec -Names '*Bad_Name*'
        Add-Case $command (With $command @{ Name = '' }) -Id ParameterArgumentValidationError -Names '*Name*'
        Add-Case $command (With $command @{ Image = '' }) -Id ParameterArgumentValidationError -Names '*Image*'
        Add-Case $command (With $command @{ RunKey = '' }) -Id ParameterArgumentValidationError -Names '*RunKey*'
        Add-Case $command (With $command @{ XCom = $true; XComSidecarResources = @{ cpu = 'lots' } }) -Id InvalidParameterValue -Names '*-XComSidecarResources*', "*'cpu'*"
        Add-Case $command (With $command @{ RestartPolicy = 'Sometimes' }) -Id ParameterArgumentValidationError -Names '*Sometimes*'
        Add-Case $command (With $command @{ Namespace = 'no-such-namespace' }) -Id NamespaceNotFound -Names '*no-such-namespace*'
    }
    Add-Case Invoke-KPod (With Invoke-KPod @{ ThrottleLimit = 0 }) -Id ParameterArgumentValidationError -Names '*ThrottleLimit*'
    Add-Case Invoke-KPod (With Invoke-KPod @{ OnFinishAction = 'Bogus' }) -Id CannotConvertArgumentNoMessage -Names '*Bogus*'

    # Logs, exec, remove, events: the parameters of their own.
    Add-Case Get-KPodLog (With Get-KPodLog @{ Tail = -1 }) -Id ParameterArgumentValidationError -Names '*Tail*'
    Add-Case Get-KPodLog (With Get-KPodLog @{ Container = 'nosuch' }) -Id ContainerNotFound -Names '*nosuch*', '*base*'
    Add-Case Get-KPodLog (With Get-KPodLog @{ OutFile = '{dir}/missing/out.log' }) -Id OutFileNotWritable -Names '*{dir}/missing*'
    Add-Case Get-KPodLog (With Get-KPodLog @{ OutFile = '{dir}' }) -Id OutFileNotWritable -Names '*{dir}*'
    Add-Case Get-KPodLog (With Get-KPodLog @{ OutFile = '{dir}/x.log'; AllContainers = $true }) -Id InvalidParameterValue -Names '*-OutFile*'
    Add-Case Get-KPodLog (With Get-KPodLog @{ SinceTime = 'yesterday-ish' }) -Id CannotConvertArgumentNoMessage -Names '*yesterday-ish*'
    Add-Case Invoke-KPodCommand (With Invoke-KPodCommand @{ Container = 'nosuch' }) -Id ContainerNotFound -Names '*nosuch*', '*base*'
    Add-Case Invoke-KPodCommand (With Invoke-KPodCommand @{ Command = @() }) -Id ParameterArgumentValidationError -Names '*Command*'
    Add-Case Remove-KPod (With Remove-KPod @{ GracePeriod = -1 }) -Id ParameterArgumentValidationError -Names '*GracePeriod*'
    Add-Case Remove-KPod (With Remove-KPod @{ OnFinishAction = 'Sometimes' }) -Id CannotConvertArgumentNoMessage -Names '*Sometimes*'
    Add-Case Get-KPodEvent (With Get-KPodEvent @{ Type = 'Bogus' }) -Id ParameterArgumentValidationError -Names '*Bogus*'
    Add-Case Get-KPodXCom (With Get-KPodXCom @{}) -Id XComNotFound -Names '*{pod}*'
    Add-Case Wait-KPodCompletion (With Wait-KPodCompletion @{ Container = 'nosuch' }) -Id ContainerNotFound -Names '*nosuch*'
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest

    $fixtures = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'fixtures')
    $script:Values = @{
        '{pod}'     = New-TestName 'bad-input'
        '{nosuch}'  = New-TestName 'no-such-pod'
        '{dir}'     = $fixtures.FullName
        '{missing}' = Join-Path $fixtures 'missing-kubeconfig'
    }
    $pod = "apiVersion: v1`nkind: Pod`nmetadata:`n  name: x`nspec:`n  containers:`n  - name: base`n    image: alpine`n"
    $files = @{
        garbage      = 'this: is: not: yaml: ['
        text         = 'just some words'
        empty        = ''
        multidoc     = "$pod---`n$pod"
        wrongtype    = "$pod    command: 'true'`n"
        unknownfield = "$pod    comand: ['sh', '-c', 'echo done']`n"
        deployment   = "apiVersion: apps/v1`nkind: Deployment`nmetadata:`n  name: d`n"
        badsyntax    = "apiVersion: v1`nkind: Pod`nmetadata:`n name: x`n  bad: [`n"
    }
    foreach ($name in $files.Keys) {
        $path = Join-Path $fixtures "$name.yaml"
        Set-Content -Path $path -Value $files[$name] -NoNewline
        $script:Values["{$name}"] = $path
    }
    $script:Values['{binary}'] = Join-Path $fixtures 'binary.yaml'
    [IO.File]::WriteAllBytes($script:Values['{binary}'], [byte[]](0..255))

    function Resolve-Value($value) {
        # Placeholders become this run's pod names and fixture paths; arrays stay arrays (one element included).
        if ($value -is [string]) { foreach ($key in $script:Values.Keys) { $value = $value.Replace($key, $script:Values[$key]) } }
        elseif ($value -is [hashtable]) { $copy = @{}; foreach ($key in $value.Keys) { $copy[$key] = Resolve-Value $value[$key] }; $value = $copy }
        elseif ($value -is [array]) { $value = [object[]] @(foreach ($item in $value) { , (Resolve-Value $item) }) }
        , $value
    }

    function Get-Leftover {
        # What a case could leave: pods (all namespaces), child processes of this pwsh, files in its private temp folder.
        [pscustomobject]@{
            # Pods being deleted are on their way out (what earlier files removed), not left behind.
            Pods      = @(Get-KPod -AllNamespaces -Raw | Where-Object { -not $_.metadata.deletionTimestamp } | ForEach-Object { "$($_.metadata.namespace)/$($_.metadata.name)" } | Sort-Object)
            Processes = @(Get-Process | Where-Object { $_.Parent.Id -eq $PID } | ForEach-Object Id | Sort-Object)
            TempFiles = @(Get-ChildItem -Force $script:Temp | ForEach-Object Name)
        }
    }

    # A private temp folder for the module's calls, so that a file left behind is this file's doing.
    $script:Temp = New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "podmanager-badinput-$PID")
    $script:SavedTemp = $env:TMPDIR
    $env:TMPDIR = $script:Temp.FullName

    New-KPod -Name $script:Values['{pod}'] -Image alpine -Command sleep -Argument 600 | Wait-KPodStart | Out-Null
    $script:Before = Get-Leftover
}

AfterAll {
    Remove-KPod -Name $script:Values['{pod}'] -GracePeriod 0 -ErrorAction Ignore
    $env:TMPDIR = $script:SavedTemp
    Remove-Item -Recurse -Force $script:Temp -ErrorAction Ignore
}

Describe 'Bad input' {
    It '<Case>' -ForEach $cases {
        $splat = Resolve-Value $Splat
        $record = $null
        $output = $null
        try {
            $output = if ($HasPipe) { Resolve-Value $Pipe | & $Command @splat -ErrorAction Stop } else { & $Command @splat -ErrorAction Stop }
        }
        catch {
            $record = $_
        }

        $record | Should -Not -BeNullOrEmpty -Because "bad input must fail, not output '$output'"
        $record | Should -BeOfType ([System.Management.Automation.ErrorRecord])
        $record.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $record.FullyQualifiedErrorId | Should -Not -Match '^System\.'
        $message = $record.Exception.Message
        foreach ($name in $Names) { $message | Should -BeLike (Resolve-Value $name) }
        if ($Id -notin 'InputObjectNotBound', 'CannotConvertArgumentNoMessage') {
            # PowerShell's own binder names the input but no fix when it cannot bind or convert it; every other message says what to do.
            $message | Should -Match '\b(Give|Check|Create|Provide|Supply|Use|Fix|Pipe|Run|Remove|Leave|Raise|Write|Set|Wait|Specify|Connect|Turn|Pass)\b'
        }
        $message | Should -Not -Match 'Invalid cast|Version=\d|PublicKeyToken|System\.[A-Z]\w+Exception|\n\s+at \w'

        $after = Get-Leftover
        # What the case added, not what went away meanwhile (the suite's other files run before this one and clean up).
        $after.Pods | Where-Object { $_ -notin $script:Before.Pods } | Should -BeNullOrEmpty -Because 'no pod is left behind'
        $after.Processes | Where-Object { $_ -notin $script:Before.Processes } | Should -BeNullOrEmpty -Because 'no process is left behind'
        $after.TempFiles | Should -BeNullOrEmpty -Because 'no temp file is left behind'
    }

    It 'holds at least 150 cases' -ForEach @{ Count = $cases.Count } {
        $Count | Should -BeGreaterOrEqual 150
    }
}
