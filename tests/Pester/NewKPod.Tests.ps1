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

    It 'reports a pod the API server refuses as InvalidPodSpec, naming the field' {
        $manifest = "apiVersion: v1`nkind: Pod`nmetadata:`n  name: Bad_Name`nspec:`n  containers:`n  - name: base`n    image: alpine`n"
        New-KPod -Manifest $manifest -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure | Should -HaveCount 1
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidPodSpec,*'
        $failure[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure[0].Exception.Message | Should -Match 'metadata.name'
    }

    It 'makes -Name a valid pod name as Airflow does, and says so under -Verbose' {
        $suffix = (New-TestName 'x').Substring(2)
        $said = New-KPod -Name "ETL_Load.Orders_$suffix" -Image alpine -Command true -Verbose 4>&1
        try {
            $pod = $said | Where-Object { $_ -is [PodManager.KPod] }
            $pod.Name | Should -Be "etl-load-orders-$suffix"
            Get-ClusterPod -Name "etl-load-orders-$suffix" | Should -Not -BeNullOrEmpty
            ($said | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
                Should -Contain "-Name 'ETL_Load.Orders_$suffix' is not a valid pod name; using 'etl-load-orders-$suffix' (lower case, characters outside [a-z0-9-] become '-', at most 63 characters, as Airflow names pods)."
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'refuses a -Name of which no valid name is left, naming the rule, before any request' {
        $said = New-KPod -Name '__.__' -Image alpine -Verbose -ErrorVariable failure -ErrorAction SilentlyContinue 4>&1
        $failure | Should -HaveCount 1
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidParameterValue,*'
        $failure[0].Exception.Message | Should -Match "lower-case letters, digits and '-', at most 63 characters"
        $said | Where-Object { "$_" -match '^(GET|POST) ' } | Should -BeNullOrEmpty
    }

    It 'refuses a <Parameter> value that is not a scalar, naming the parameter and key, before any request' -TestCases @(
        @{ Parameter = 'Env'; Value = @{ A = @{ x = 1 } }; Key = 'A'; Type = 'Hashtable' }
        @{ Parameter = 'Label'; Value = @{ a = @{ b = 1 } }; Key = 'a'; Type = 'Hashtable' }
        @{ Parameter = 'Annotation'; Value = @{ note = @(1, 2) }; Key = 'note'; Type = 'Object[]' }
        @{ Parameter = 'NodeSelector'; Value = @{ zone = [pscustomobject]@{ name = 'a' } }; Key = 'zone'; Type = 'PSCustomObject' }
    ) {
        $arguments = @{ Image = 'alpine'; $Parameter = $Value }
        $said = New-KPod @arguments -Verbose -ErrorVariable failure -ErrorAction SilentlyContinue 4>&1
        $failure | Should -HaveCount 1
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidParameterValue,*'
        $failure[0].Exception.Message | Should -BeLike ([WildcardPattern]::Escape("-$Parameter has a value of type $Type for '$Key'; values must be text, numbers or true/false.") + '*')
        $said | Where-Object { "$_" -match '^(GET|POST) ' } | Should -BeNullOrEmpty
    }

    It 'writes scalar values in the invariant culture, whatever the session''s' {
        $culture = [cultureinfo]::CurrentCulture
        [cultureinfo]::CurrentCulture = 'de-DE'
        try {
            $pod = New-KPod -Image alpine -Command true -Env @{ RATE = 1.5; ON = $true } -Label @{ ratio = 0.25 }
        }
        finally {
            [cultureinfo]::CurrentCulture = $culture
        }
        try {
            $cluster = Get-ClusterPod -Name $pod.Name
            ($cluster.spec.containers[0].env | Where-Object name -EQ RATE).value | Should -Be '1.5'
            ($cluster.spec.containers[0].env | Where-Object name -EQ ON).value | Should -Be 'True'
            $cluster.metadata.labels.ratio | Should -Be '0.25'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'refuses a misspelt manifest field, naming its path as kubectl does, and creates nothing' {
        $name = New-TestName
        $manifest = "apiVersion: v1`nkind: Pod`nmetadata:`n  name: $name`nspec:`n  containers:`n  - name: base`n    image: alpine`n    comand: [sh, -c, 'echo hi']`n"
        $err = { New-KPod -Manifest $manifest -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidManifest,*'
        $err.Exception.Message | Should -BeLike '*unknown field "spec.containers`[0`].comand" (line 9, column 5; did you mean "command"?)*'
        Get-ClusterPod -Name $name | Should -BeNullOrEmpty
    }

    It 'says what is wrong where for a manifest value of the wrong type, in plain words' {
        $err = { New-KPod -Manifest @{ kind = 'Pod'; metadata = @{ name = 'x' }; spec = @{ containers = 'notalist' } } -ErrorAction Stop } | Should -Throw -PassThru
        $err.Exception.Message | Should -BeLike '*"spec.containers" must be a list, not the value ''notalist''*'
        $err.Exception.Message | Should -Not -Match 'System\.|Invalid cast'
        $err = { New-KPod -Manifest 42 -ErrorAction Stop } | Should -Throw -PassThru
        $err.Exception.Message | Should -BeLike "*is the value '42', not a pod manifest*"
    }

    It 'takes one pod per manifest, and says how many documents it found' {
        $one = "apiVersion: v1`nkind: Pod`nmetadata:`n  name: one`nspec:`n  containers:`n  - name: base`n    image: alpine`n"
        $err = { New-KPod -Manifest "$one---`n$($one -replace 'one', 'two')" -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidManifest,*'
        $err.Exception.Message | Should -BeLike '*holds 2 YAML documents; a manifest here is one pod*'
    }

    It 'creates with fieldValidation=Strict, as kubectl create' {
        $said = New-KPod -Image alpine -Command true -Verbose 4>&1
        $pod = $said | Where-Object { $_ -is [PodManager.KPod] }
        try {
            "$($said | Where-Object { "$_" -like 'POST *' })" | Should -BeLike 'POST /api/v1/namespaces/default/pods?fieldValidation=Strict -> 201 *'
        }
        finally {
            $pod | Remove-KPod -Force
        }
    }

    It 'warns when -Command is a whole command line, and only then' -TestCases @(
        @{ Command = 'python -m app --x 1'; Arguments = @(); Warns = $true }
        @{ Command = 'sh'; Arguments = @('-c', 'python -m app --x 1'); Warns = $false }
        @{ Command = '/usr/local/bin/app'; Arguments = @('--x', '1'); Warns = $false }
        @{ Command = 'C:\Program Files\app\app.exe'; Arguments = @(); Warns = $false }
    ) {
        $warnings = New-KPod -Image alpine -Command $Command -Argument $Arguments -WhatIf 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }
        if ($Warns) {
            $warnings.Message | Should -Be "-Command '$Command' is one string with spaces, which Kubernetes runs as a program of that whole name, not as a command line. Give the program and each argument apart (-Command 'python' -Argument '-m', 'app', '--x', '1'), or let a shell read the line (-Command sh -Argument '-c', '$Command')."
        }
        else {
            $warnings | Should -BeNullOrEmpty
        }
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
