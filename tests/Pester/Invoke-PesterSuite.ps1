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

# Every error of the suite stays in $Error (caught ones and those of Should -Throw too) for the secret scan below.
$global:MaximumErrorCount = 32768
$Error.Clear()

$afterSuite = Join-Path $PSScriptRoot 'AfterSuite'
$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.ExcludePath = @(Join-Path $afterSuite '*')
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $configuration

# What a log shipper would write of each error record must hold no credential of the kubeconfig the suite ran on.
$records = @($Error)
$scan = New-PesterConfiguration
$scan.Run.Container = New-PesterContainer -Path (Join-Path $afterSuite 'NoSecretsInErrors.Tests.ps1') -Data @{ ErrorRecord = $records; KubeConfig = $env:KUBECONFIG }
$scan.Run.PassThru = $true
$scan.Output.Verbosity = 'Detailed'
$scanned = Invoke-Pester -Configuration $scan

$summary = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
foreach ($run in $result, $scanned) {
    $summary.Passed += $run.PassedCount
    $summary.Failed += $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount
    $summary.Skipped += $run.SkippedCount + $run.NotRunCount
}
$summary | ConvertTo-Json | Set-Content -Path $SummaryPath

exit ([int]($summary.Failed -gt 0))
