BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
}

Describe 'Dependency isolation' {
    It 'works after another module loaded a different YamlDotNet, and both versions stay loaded' {
        $yaml = Join-Path $env:PODMANAGER_TEST_PACKAGES 'yamldotnet/16.3.0/lib/net8.0/YamlDotNet.dll'
        $yaml | Should -Exist
        $output = @(Invoke-FreshPwsh @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$yaml'
Import-Module '$($env:PODMANAGER_TEST_MODULE)'
`$lines = New-KPod -Image alpine -Command sh -Argument '-c','echo isolated' | Wait-KPodCompletion | Get-KPodLog
`$yamls = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'YamlDotNet' }
[pscustomobject]@{
    Lines   = @(`$lines.Message)
    Yaml    = @(`$yamls | ForEach-Object { `$_.GetName().Version.ToString() } | Sort-Object)
    Context = @(`$yamls | ForEach-Object { [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name } | Sort-Object)
    Pod     = `$lines[0].Pod
} | ConvertTo-Json -Compress
Remove-KPod -Name `$lines[0].Pod
"@)
        $result = $output[-1] | ConvertFrom-Json
        $result.Lines | Should -Be @('isolated')
        $result.Yaml | Should -HaveCount 2
        $result.Yaml | Should -Contain '16.0.0.0'
        $result.Context | Should -Contain 'PodManager.Engine'
        $result.Context | Should -Contain 'Default'
    }
}

Describe 'Module layout' {
    It 'exports the cmdlets from a manifest that declares them' {
        $module = Get-Module PodManager
        $module.ExportedCmdlets.Keys | Sort-Object | Should -Be @('Connect-KCluster', 'Disconnect-KCluster', 'Get-KPod', 'Get-KPodEvent', 'Get-KPodLog', 'Get-KPodXCom', 'Invoke-KPod', 'Invoke-KPodCommand', 'New-KPod', 'New-KPodManifest', 'New-KPodVolume', 'Remove-KPod', 'Wait-KPodCompletion', 'Wait-KPodStart')
        $module.Version | Should -Be '0.1.0'
    }

    It 'keeps the engine and KubernetesClient out of the default load context' {
        # The engine loads with the first cmdlet that talks to a cluster: one runs here, so that the test does not
        # depend on the files that ran before it.
        Get-KPod | Out-Null
        $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'KubernetesClient' }
        $engine | Should -Not -BeNullOrEmpty
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine[0]).Name | Should -Be 'PodManager.Engine'
        $model = [PodManager.KPod].Assembly
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($model).Name | Should -Be 'Default'
    }

    It 'stages the engine and its dependencies under dependencies/, and nothing of them at the root' {
        $root = $env:PODMANAGER_TEST_MODULE
        Join-Path $root 'dependencies/PodManager.Engine.dll' | Should -Exist
        Join-Path $root 'dependencies/KubernetesClient.dll' | Should -Exist
        Join-Path $root 'dependencies/YamlDotNet.dll' | Should -Exist
        Join-Path $root 'dependencies/Fractions.dll' | Should -Exist
        Join-Path $root 'KubernetesClient.dll' | Should -Not -Exist
        Join-Path $root 'System.Management.Automation.dll' | Should -Not -Exist
        Join-Path $root 'PodManager.format.ps1xml' | Should -Exist
    }

    It 'stages every assembly with ReadyToRun code beside its IL in a Release build' {
        $root = $env:PODMANAGER_TEST_MODULE
        $debuggable = (Get-Module PodManager).ImplementingAssembly.GetCustomAttributes([System.Diagnostics.DebuggableAttribute], $false) | Select-Object -First 1
        if ($debuggable -and $debuggable.IsJITOptimizerDisabled) { Set-ItResult -Skipped -Because 'a Debug build stages IL only'; return }
        $assemblies = @(Get-ChildItem $root, (Join-Path $root 'dependencies') -Filter '*.dll')
        $assemblies.Name | Should -Contain 'KubernetesClient.dll'
        foreach ($assembly in $assemblies) {
            $stream = [System.IO.File]::OpenRead($assembly.FullName)
            try {
                $headers = [System.Reflection.PortableExecutable.PEReader]::new($stream).PEHeaders
                # A ReadyToRun image keeps its IL and metadata and adds native code, found through the managed native header.
                $headers.CorHeader | Should -Not -BeNullOrEmpty -Because "$($assembly.Name) is a .NET assembly"
                $headers.CorHeader.ManagedNativeHeaderDirectory.Size | Should -BeGreaterThan 0 -Because "$($assembly.Name) should carry ReadyToRun code"
            }
            finally {
                $stream.Dispose()
            }
        }
    }
}
