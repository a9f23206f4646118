<#
.SYNOPSIS
    Runs every *.Tests.ps1 here against out/PodManager and a running test cluster (KUBECONFIG).
    build.ps1 -Task Test starts it in a fresh pwsh; it writes the counts to -SummaryPath.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $PackageRoot,
    [Parameter(Mandatory)] [string] $SummaryPath
)

Import-Module (Join-Path $PackageRoot 'pester/5.7.1/tools/Pester.psd1') -ErrorAction Stop

# The tests read these instead of guessing paths; PodManager.TestHelpers.psm1 guards KUBECONFIG.
$env:PODMANAGER_TEST_MODULE = (Resolve-Path $ModulePath).Path
$env:PODMANAGER_TEST_PACKAGES = $PackageRoot

$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $configuration

$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[pscustomobject]@{
    Passed  = $result.PassedCount
    Failed  = $failed
    Skipped = $result.SkippedCount + $result.NotRunCount
} | ConvertTo-Json | Set-Content -Path $SummaryPath

exit ([int]($failed -gt 0))
