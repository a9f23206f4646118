#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, demonstrates, packages and benchmarks PodManager.
.DESCRIPTION
    Build    stages the module in out/PodManager (cmdlets and model at the root, the engine and its
             dependencies in out/PodManager/dependencies, loaded into the module's own load context).
    Test     builds, runs every xunit project, then Pester in a fresh pwsh that imports out/PodManager
             against a test cluster, and prints one line: Tests: N passed, M failed, K skipped.
    Demo     starts the test cluster, runs a pod through the pipeline, prints its log and result,
             removes it and stops the cluster.
    Package  builds, then publishes out/PodManager to a local file repository: out/packages/PodManager.<version>.nupkg,
             installable with Install-PSResource once that folder is registered as a repository.
    Bench    builds, starts a test cluster and runs the benchmark (tests/Bench): each scenario beside its
             baselines, one table, and docs/benchmarks.md rewritten after a full run. -Scenario runs some of
             them (CompletionLatency, FanOut, LogThroughput, ImportTime, FirstPod); -Quick scales them down.
    Soak     builds, starts a test cluster and runs the soak (tests/Soak/Invoke-Soak.ps1) for -Minutes (30 by default):
             rounds of pods under random faults, seeded by -Seed (printed); fails if a line was lost or doubled, a result is
             wrong, a pod or process is left, or memory grew. A short version runs in Test (tests/Pester/Soak.Tests.ps1).
    Clean    removes every build output (out/, including the kept help and its stamp, and every bin/ and obj/).
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Package', 'Bench', 'Soak', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Bench only: the scenarios to run (all by default).
    # From bash, `-Scenario FanOut,FirstPod` arrives as one string: commas separate names either way.
    [ValidateScript({ $_ -split ',' | ForEach-Object { if ($_.Trim() -notin 'CompletionLatency', 'FanOut', 'LogThroughput', 'ImportTime', 'FirstPod') { throw "Unknown scenario '$_': use CompletionLatency, FanOut, LogThroughput, ImportTime or FirstPod." } }; $true })]
    [string[]] $Scenario = @(),

    # Bench only: scale every scenario down so that the benchmark itself takes under a minute.
    [switch] $Quick,

    # Soak only: how long the soak runs, and its seed (random, printed, by default).
    [double] $Minutes = 30,
    [int] $Seed = (Get-Random -Maximum 1000000)
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'PodManager'
$TestResults = Join-Path $Out 'test-results'
$Packages = Join-Path $Out 'packages'
$TestClusterDll = Join-Path $Root "src/PodManager.TestCluster/bin/$Configuration/net10.0/PodManager.TestCluster.dll"
$Pwsh = Join-Path $PSHOME 'pwsh.dll'

function Invoke-Native {
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @())
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

function Get-NuGetPackageRoot {
    $line = dotnet nuget locals global-packages --list | Select-Object -First 1
    if ($line -notmatch 'global-packages:\s*(.+)$') { throw "Cannot find the NuGet global packages folder in: $line" }
    $Matches[1].Trim()
}

function Invoke-Build {
    Invoke-Native dotnet @('build', (Join-Path $Root 'PodManager.sln'), '-c', $Configuration, '--nologo', '-v', 'quiet', '-clp:ErrorsOnly')
    Invoke-Native dotnet @('restore', (Join-Path $Root 'tests/Pester/Pester.Dependencies.csproj'), '--nologo', '-v', 'quiet')

    $staging = Join-Path $Out 'staging'
    Remove-Item $ModuleOut, $staging -Recurse -Force -ErrorAction Ignore
    $engine = Join-Path $staging 'engine'
    $cmdlets = Join-Path $staging 'cmdlets'
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/PodManager.Engine'), '-c', $Configuration, '--no-build', '-o', $engine, '--nologo', '-v', 'quiet')
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/PodManager'), '-c', $Configuration, '--no-build', '-o', $cmdlets, '--nologo', '-v', 'quiet')

    # The root holds only what PowerShell must see in the default load context; everything the engine
    # brings goes to dependencies/, where only the module's own load context looks.
    $dependencies = New-Item -ItemType Directory -Path (Join-Path $ModuleOut 'dependencies') -Force
    foreach ($file in 'PodManager.dll', 'PodManager.pdb', 'PodManager.Model.dll', 'PodManager.Model.pdb') {
        Copy-Item (Join-Path $cmdlets $file) $ModuleOut
    }
    Get-ChildItem $engine -File | Where-Object { $_.Name -notlike 'PodManager.Model.*' -and $_.Extension -in '.dll', '.pdb' } |
        Copy-Item -Destination $dependencies
    Copy-Item (Join-Path $Root 'PodManager.psd1') $ModuleOut
    Copy-Item (Join-Path $Root 'src/PodManager/PodManager.format.ps1xml') $ModuleOut
    Remove-Item $staging -Recurse -Force

    Build-ModuleHelp
    Write-Host "Module staged in $ModuleOut"
}

# Help is generated from docs/help in a fresh pwsh that imports the staged module, so syntax and types come from the
# code. That takes seconds, so the result is kept in out/help with a hash of its inputs (docs/help and the staged
# module's assemblies and manifest) and generated again only when they change; Clean removes it with out/.
function Build-ModuleHelp {
    $source = Join-Path $Root 'docs/help'
    $cache = Join-Path $Out 'help'
    $stamp = Join-Path $cache 'inputs.sha256'
    $inputs = @(Get-ChildItem $source -File -Recurse) + @(Get-ChildItem $ModuleOut -File -Recurse -Include '*.dll', '*.psd1')
    $lines = $inputs | Sort-Object FullName | ForEach-Object {
        "$((Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash) $([System.IO.Path]::GetRelativePath($Root, $_.FullName))"
    }
    $hash = (Get-FileHash -InputStream ([System.IO.MemoryStream]::new([System.Text.Encoding]::UTF8.GetBytes($lines -join "`n"))) -Algorithm SHA256).Hash
    if ((Test-Path $stamp) -and (Get-Content -Raw $stamp).Trim() -eq $hash) {
        Copy-Item (Join-Path $cache 'en-US') $ModuleOut -Recurse
        Write-Host "Help unchanged since the last build, copied from $cache"
        return
    }

    Remove-Item $cache -Recurse -Force -ErrorAction Ignore
    & dotnet $Pwsh -NoProfile -NonInteractive -File (Join-Path $source 'Build-Help.ps1') -ModulePath $ModuleOut -SourcePath $source
    if ($LASTEXITCODE -ne 0) { throw "Generating help failed with exit code $LASTEXITCODE." }
    New-Item -ItemType Directory -Path $cache | Out-Null
    Copy-Item (Join-Path $ModuleOut 'en-US') $cache -Recurse
    Set-Content -Path $stamp -Value $hash
}

function Invoke-Package {
    Remove-Item $Packages -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory -Path $Packages | Out-Null
    # Publish-PSResource needs a registered repository; a throw-away HOME keeps the registration out of the user's profile.
    # It also writes NuGet/NuGet.Config below the current directory, so it runs in that throw-away folder too.
    $packageHome = New-Item -ItemType Directory -Path (Join-Path $Out 'package-home') -Force
    $publish = "Register-PSResourceRepository -Name PodManagerBuild -Uri '$Packages' -Trusted; Publish-PSResource -Path '$ModuleOut' -Repository PodManagerBuild -ErrorAction Stop"
    $savedHome = $env:HOME
    Push-Location -LiteralPath $packageHome.FullName
    try {
        $env:HOME = $packageHome.FullName
        & dotnet $Pwsh -NoProfile -NonInteractive -Command $publish
        if ($LASTEXITCODE -ne 0) { throw "Publishing the package failed with exit code $LASTEXITCODE." }
    }
    finally {
        Pop-Location
        $env:HOME = $savedHome
        Remove-Item $packageHome -Recurse -Force -ErrorAction Ignore
    }
    $package = Get-ChildItem $Packages -Filter '*.nupkg'
    Write-Host "Package: $($package.FullName)"
}

function Start-TestCluster {
    param([Parameter(Mandatory)] [string] $WorkDirectory, [string[]] $ExtraArguments = @())
    $kubeconfig = Join-Path $WorkDirectory 'kubeconfig'
    $log = Join-Path $WorkDirectory 'testcluster.log'
    $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($TestClusterDll, '--kubeconfig', $kubeconfig) + $ExtraArguments) { $info.ArgumentList.Add($argument) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $errors = $process.StandardError.ReadToEndAsync()
    $readLine = $process.StandardOutput.ReadLineAsync()
    if (-not $readLine.Wait([TimeSpan]::FromSeconds(60)) -or $readLine.Result -notlike 'ready https://127.0.0.1:*') {
        Stop-TestCluster -Cluster ([pscustomobject]@{ Process = $process; Output = $null; Errors = $errors; Log = $log })
        throw "The test cluster did not start: '$($readLine.Result)'. $($errors.Result)"
    }
    [pscustomobject]@{
        Process    = $process
        KubeConfig = $kubeconfig
        Address    = ($readLine.Result -replace '^ready ', '')
        Output     = $process.StandardOutput.ReadToEndAsync()
        Errors     = $errors
        Log        = $log
    }
}

function Stop-TestCluster {
    param([Parameter(Mandatory)] $Cluster)
    $process = $Cluster.Process
    if (-not $process.HasExited) {
        # SIGTERM, not Process.Kill's SIGKILL: the cluster must kill its container processes and clean up.
        & kill -s TERM $process.Id
        if (-not $process.WaitForExit(30000)) { $process.Kill($true) }
    }
    $process.WaitForExit()
    $text = @($Cluster.Output, $Cluster.Errors) | Where-Object { $_ } | ForEach-Object { $_.Result }
    Set-Content -Path $Cluster.Log -Value $text
}

function Read-TrxCounts {
    param([Parameter(Mandatory)] [string] $Path)
    if (-not (Test-Path $Path)) { return $null }
    [xml] $trx = Get-Content -Raw $Path
    $counters = $trx.TestRun.ResultSummary.Counters
    $passed = [int] $counters.passed
    $failed = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = [int] $counters.total - $passed - $failed }
}

# Adds up the reports of the test clusters' schema check (one file per cluster), prints the count and every violation,
# and returns the number of violations (each fails the run).
function Write-SchemaCheck {
    param([Parameter(Mandatory)] [string] $Directory)
    $reports = @(Get-ChildItem $Directory -Filter '*.json' -ErrorAction Ignore | ForEach-Object { Get-Content -Raw $_.FullName | ConvertFrom-Json })
    $validated = ($reports | Measure-Object -Property validated -Sum).Sum
    $violations = @($reports | ForEach-Object { $_.violations })
    foreach ($violation in $violations) { Write-Host $violation -ForegroundColor Red }
    Write-Host "Schema check: $([long]$validated) responses of $($reports.Count) test clusters validated against the Kubernetes OpenAPI schema, $($violations.Count) violations"
    $violations.Count
}

function Invoke-Tests {
    Invoke-Build
    Invoke-Package
    Remove-Item $TestResults -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory -Path $TestResults | Out-Null
    # Every test cluster of the run, in-process or not, validates what it sends against the Kubernetes schema.
    $schemaCheck = Join-Path $TestResults 'schema-check'
    $env:PODMANAGER_TESTCLUSTER_SCHEMA_CHECK = $schemaCheck
    $total = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    $add = {
        param($counts, $name)
        $total.Passed += $counts.Passed; $total.Failed += $counts.Failed; $total.Skipped += $counts.Skipped
        Write-Host "${name}: $($counts.Passed) passed, $($counts.Failed) failed, $($counts.Skipped) skipped"
    }

    foreach ($project in Get-ChildItem (Join-Path $Root 'tests') -Directory | Where-Object { Test-Path (Join-Path $_ "$($_.Name).csproj") }) {
        $trx = Join-Path $TestResults "$($project.Name).trx"
        & dotnet test $project.FullName -c $Configuration --no-build --nologo --logger "trx;LogFileName=$trx" --logger 'console;verbosity=normal'
        $exit = $LASTEXITCODE
        $counts = Read-TrxCounts $trx
        if ($null -eq $counts) { $counts = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 } }
        if ($exit -ne 0 -and $counts.Failed -eq 0) {
            Write-Warning "$($project.Name) exited with $exit without a failed test: counting the run as one failure."
            $counts.Failed = 1
        }
        & $add $counts $project.Name
    }

    $work = New-Item -ItemType Directory -Path (Join-Path $Out "pester-cluster") -Force
    $cluster = Start-TestCluster -WorkDirectory $work.FullName
    try {
        $summary = Join-Path $TestResults 'pester.json'
        $env:KUBECONFIG = $cluster.KubeConfig
        # Tests that kill a cluster start one of their own from this dll.
        $env:PODMANAGER_TEST_CLUSTER = $TestClusterDll
        $runner = Join-Path $Root 'tests/Pester/Invoke-PesterSuite.ps1'
        & dotnet $Pwsh -NoProfile -NonInteractive -File $runner -ModulePath $ModuleOut -PackageRoot (Get-NuGetPackageRoot) -SummaryPath $summary
        $exit = $LASTEXITCODE
        $counts = if (Test-Path $summary) { Get-Content -Raw $summary | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 } }
        if ($exit -ne 0 -and $counts.Failed -eq 0) {
            Write-Warning "Pester exited with $exit without a failed test: counting the run as one failure."
            $counts.Failed = 1
        }
        & $add $counts 'Pester'
    }
    finally {
        Remove-Item Env:KUBECONFIG, Env:PODMANAGER_TEST_CLUSTER -ErrorAction Ignore
        Stop-TestCluster -Cluster $cluster
        Remove-Item Env:PODMANAGER_TESTCLUSTER_SCHEMA_CHECK -ErrorAction Ignore
    }

    $total.Failed += Write-SchemaCheck -Directory $schemaCheck
    Write-Host "Tests: $($total.Passed) passed, $($total.Failed) failed, $($total.Skipped) skipped"
    if ($total.Failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    $work = New-Item -ItemType Directory -Path (Join-Path $Out 'demo-cluster') -Force
    Write-Host 'Starting the test cluster (a local Kubernetes emulator: pod commands run on this machine).'
    $cluster = Start-TestCluster -WorkDirectory $work.FullName
    try {
        $env:KUBECONFIG = $cluster.KubeConfig
        & dotnet $Pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'docs/examples/Demo.ps1') -ModulePath $ModuleOut
        if ($LASTEXITCODE -ne 0) { throw "The demo failed with exit code $LASTEXITCODE." }
    }
    finally {
        Remove-Item Env:KUBECONFIG, Env:PODMANAGER_TEST_CLUSTER -ErrorAction Ignore
        Stop-TestCluster -Cluster $cluster
        Write-Host 'Test cluster stopped.'
    }
}

function Invoke-Bench {
    if ($Configuration -ne 'Release') { throw 'The benchmark measures the Release build; leave -Configuration out.' }
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    Invoke-Build
    $floor = Join-Path $Root 'tests/Bench/Floor'
    Invoke-Native dotnet @('build', $floor, '-c', 'Release', '--nologo', '-v', 'quiet', '-clp:ErrorsOnly')
    Write-Host ("Built in {0:0} s." -f $clock.Elapsed.TotalSeconds)
    $work = Join-Path $Out 'bench'
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
    New-Item -ItemType Directory -Path $work | Out-Null
    $cluster = Start-TestCluster -WorkDirectory $work -ExtraArguments '--node-pods', '1000'
    try {
        $bench = @{
            Root          = $Root
            ModulePath    = $ModuleOut
            PwshDll       = $Pwsh
            FloorDll      = Join-Path $floor 'bin/Release/net10.0/Floor.dll'
            KubeConfig    = $cluster.KubeConfig
            Server        = $cluster.Address
            WorkDirectory = $work
            Scenario      = @($Scenario -split ',' | ForEach-Object Trim | Where-Object { $_ })
            Quick         = $Quick
        }
        & (Join-Path $Root 'tests/Bench/Bench.ps1') @bench
    }
    finally {
        Stop-TestCluster -Cluster $cluster
    }
}

function Invoke-Soak {
    Invoke-Build
    $work = New-Item -ItemType Directory -Path (Join-Path $Out 'soak-cluster') -Force
    $cluster = Start-TestCluster -WorkDirectory $work.FullName
    try {
        $env:KUBECONFIG = $cluster.KubeConfig
        $soak = Join-Path $Root 'tests/Soak/Invoke-Soak.ps1'
        $command = "`$s = & '$soak' -ModulePath '$ModuleOut' -Minutes $Minutes -Seed $Seed; `$s | Format-List | Out-String | Write-Host; exit [int](`$s.Problems.Count -gt 0)"
        & dotnet $Pwsh -NoProfile -NonInteractive -Command $command
        if ($LASTEXITCODE -ne 0) { throw "The soak (seed $Seed) found problems; they are listed above." }
    }
    finally {
        Remove-Item Env:KUBECONFIG -ErrorAction Ignore
        Stop-TestCluster -Cluster $cluster
    }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Tests }
    'Demo' { Invoke-Demo }
    'Package' { Invoke-Build; Invoke-Package }
    'Bench' { Invoke-Bench }
    'Soak' { Invoke-Soak }
    'Clean' {
        Remove-Item $Out -Recurse -Force -ErrorAction Ignore
        Get-ChildItem $Root -Directory -Recurse -Include bin, obj | Remove-Item -Recurse -Force -ErrorAction Ignore
        Write-Host 'Cleaned.'
    }
}
