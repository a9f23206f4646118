BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
    $script:packages = Join-Path (Split-Path $env:PODMANAGER_TEST_MODULE) 'packages'
    $script:root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
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

    It 'is a module people can trust: a license, a changelog, and the links and notes of its manifest' {
        Join-Path $script:root 'LICENSE' | Should -Exist
        (Get-Content -Raw (Join-Path $script:root 'LICENSE')) | Should -Match 'Apache License\s+Version 2\.0'
        (Get-Content (Join-Path $script:root 'CHANGELOG.md') -TotalCount 1) | Should -Be '# Changelog'
        foreach ($file in 'LICENSE', 'CHANGELOG.md') { Join-Path $env:PODMANAGER_TEST_MODULE $file | Should -Exist }
        $manifest = Test-ModuleManifest (Join-Path $env:PODMANAGER_TEST_MODULE 'PodManager.psd1') -ErrorAction Stop -WarningVariable warnings
        $warnings | Should -BeNullOrEmpty
        $manifest.ProjectUri | Should -Be 'https://github.com/PodManager/PodManager'
        $manifest.LicenseUri | Should -Be 'https://github.com/PodManager/PodManager/blob/main/LICENSE'
        $manifest.ReleaseNotes | Should -Match 'CHANGELOG\.md'
        (Get-Command Get-KPod).HelpUri | Should -BeLike "$($manifest.ProjectUri)/*" -Because 'HelpLinks.ProjectUri and the manifest name one address'
    }

    It 'has one version source: Directory.Build.props, stamped into the staged manifest and the package' {
        [xml] $props = Get-Content -Raw (Join-Path $script:root 'Directory.Build.props')
        $version = @($props.Project.PropertyGroup.Version | Where-Object { $_ })[0]
        $version | Should -Match '^\d+\.\d+\.\d+$'
        (Import-PowerShellDataFile (Join-Path $env:PODMANAGER_TEST_MODULE 'PodManager.psd1')).ModuleVersion | Should -Be $version
        (Import-PowerShellDataFile (Join-Path $script:root 'PodManager.psd1')).ModuleVersion | Should -Be '0.0.0' -Because 'the source manifest holds only a placeholder'
        Get-ChildItem $script:packages -Filter "PodManager.$version.nupkg" | Should -HaveCount 1
        (Get-Item (Join-Path $env:PODMANAGER_TEST_MODULE 'PodManager.dll')).VersionInfo.ProductVersion | Should -BeLike "$version*"
    }
}
