BeforeDiscovery {
    $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
    # The blocks of "Try it yourself" run against the cluster of build.ps1 -Task Cluster: TryItYourself.Tests.ps1 runs them.
    $tryItYourself = [regex]::Match($readme, '(?s)\n## Try it yourself\n.*?(?=\n## )')
    $script:blocks = [regex]::Matches($readme, '(?s)```powershell\r?\n(.*?)```') | ForEach-Object -Begin { $i = 0 } -Process {
        $i++
        if ($_.Index -lt $tryItYourself.Index -or $_.Index -ge $tryItYourself.Index + $tryItYourself.Length) {
            @{ Index = $i; Code = $_.Groups[1].Value }
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
    $script:readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
}

Describe 'README' {
    It 'gives both set-up commands verbatim, before the examples' {
        $demo = $script:readme.IndexOf('dotnet tool restore && dotnet pwsh ./build.ps1 -Task Demo')
        $test = $script:readme.IndexOf('dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test')
        $demo | Should -BeGreaterThan 0
        $test | Should -BeGreaterThan 0
        $test | Should -BeLessThan $script:readme.IndexOf('```powershell')
    }

    It 'lists every exported cmdlet in its table' {
        foreach ($cmdlet in (Get-Module PodManager).ExportedCmdlets.Keys) {
            $script:readme | Should -Match "\| ``$cmdlet`` \|"
        }
    }

    It 'runs PowerShell example <Index> as written, in a fresh pwsh from the repository root, with the output it promises' -ForEach $script:blocks {
        $promised = [regex]::Matches($Code, '#\s*->\s*(.+?)\s*$', 'Multiline') | ForEach-Object { $_.Groups[1].Value }
        $repositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
        $output = @(Invoke-FreshPwsh "`$ErrorActionPreference = 'Stop'`nSet-Location '$repositoryRoot'`n$Code") -join "`n"
        $promised | Should -Not -BeNullOrEmpty -Because 'every example says what it prints'
        foreach ($text in $promised) {
            $output | Should -BeLike "*$([WildcardPattern]::Escape($text))*"
        }
    }
}
