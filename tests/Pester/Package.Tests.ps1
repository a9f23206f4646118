BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
    $script:packages = Join-Path (Split-Path $env:PODMANAGER_TEST_MODULE) 'packages'
}

Describe 'The package' {
    It 'holds the module with its engine under dependencies/' {
        $package = Get-ChildItem $script:packages -Filter 'PodManager.*.nupkg'
        $package | Should -HaveCount 1
        $zip = [System.IO.Compression.ZipFile]::OpenRead($package.FullName)
        try {
            $entries = $zip.Entries.FullName
            $entries | Should -Contain 'PodManager.psd1'
            $entries | Should -Contain 'PodManager.dll'
            $entries | Should -Contain 'dependencies/KubernetesClient.dll'
            $entries | Should -Contain 'en-US/PodManager.dll-Help.xml'
        }
        finally {
            $zip.Dispose()
        }
    }

    It 'installs with Install-PSResource from a local file repository into a fresh home, and runs a pod' {
        $freshHome = Join-Path $TestDrive 'home'
        New-Item -ItemType Directory -Path $freshHome | Out-Null
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name PodManagerLocal -Uri '$($script:packages)' -Trusted
Install-PSResource -Name PodManager -Repository PodManagerLocal -TrustRepository -Quiet
`$module = Get-Module -ListAvailable PodManager
Import-Module PodManager
`$result = Invoke-KPod -Image alpine -Command sh -Argument '-c', 'echo installed'
"`$(`$module.Path)|`$(`$result.Phase)"
"@
        $savedHome = $env:HOME
        try {
            $env:HOME = $freshHome
            $output = @(Invoke-FreshPwsh $script)
        }
        finally {
            $env:HOME = $savedHome
        }
        $path, $phase = $output[-1] -split '\|'
        $path | Should -BeLike "$freshHome*PodManager.psd1"
        $phase | Should -Be 'Succeeded'
    }
}
