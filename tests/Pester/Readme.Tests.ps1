BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
    $script:readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
}

Describe 'README' {
    It 'gives both set-up commands verbatim' {
        $script:readme | Should -Match ([regex]::Escape('dotnet tool restore && dotnet pwsh ./build.ps1 -Task Demo'))
        $script:readme | Should -Match ([regex]::Escape('dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test'))
    }

    It 'runs every PowerShell example as written, in a fresh pwsh from the repository root' {
        $blocks = [regex]::Matches($script:readme, '(?s)```powershell\r?\n(.*?)```') | ForEach-Object { $_.Groups[1].Value }
        $blocks | Should -Not -BeNullOrEmpty
        foreach ($block in $blocks) {
            $repositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
            $output = Invoke-FreshPwsh "`$ErrorActionPreference = 'Stop'`nSet-Location '$repositoryRoot'`n$block"
            $output | Should -Not -BeNullOrEmpty
            ($output -join "`n") | Should -Match 'finished: Succeeded, exit code 0'
            ($output -join "`n") | Should -Match '\d\d:\d\d:\d\d\.\d{3} hello'
            ($output -join "`n") | Should -Match "PodFailed,PodManager.Commands.WaitKPodCompletionCommand: exit code 3, last line 'bad input'"
        }
    }
}
