#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, demonstrates, packages and benchmarks PodManager.
.DESCRIPTION
    Build    stages the module in out/PodManager (cmdlets and model at the root, the engine and its
             dependencies in out/PodManager/dependencies, loaded into the module's own load context); a Release
             build compiles them ahead of time (ReadyToRun) for the runtime the build runs on.
    Test     builds, runs every xunit project, then Pester in a fresh pwsh that imports out/PodManager
             against a test cluster, and prints one line: Tests: N passed, M failed, K skipped.
    Demo     starts the test cluster, runs a pod through the pipeline, prints its log and result,
             removes it and stops the cluster.
    Cluster  builds (unless -NoBuild), then starts the test cluster in the foreground for you to try the module on:
             prints the $env:KUBECONFIG line to paste into another pwsh, and stops the cluster (and every pod it
             runs) on Ctrl+C. Its kubeconfig is out/cluster/kubeconfig while it runs.
    Package  builds, then publishes out/PodManager to a local file repository: out/packages/PodManager.<version>.nupkg,
             installable with Install-PSResource once that folder is registered as a repository. The version is
             Directory.Build.props' <Version>, the one version source: the build stamps it into the staged manifest.
    Bench    builds, starts a test cluster and runs the benchmark (tests/Bench): each scenario beside its
             baselines, one table, and docs/benchmarks.md rewritten after a full run. -Scenario runs some of
             them (CompletionLatency, FanOut, FanOut1000, LogThroughput, ImportTime, FirstPod); -Quick scales them
             down and leaves FanOut1000 out.
    Soak     builds, starts a test cluster and runs the soak (tests/Soak/Invoke-Soak.ps1) for -Minutes (30 by default):
             rounds of pods under random faults, seeded by -Seed (printed); fails if a line was lost or doubled, a result is
             wrong, a pod or process is left, or memory grew. A short version runs in Test (tests/Pester/Soak.Tests.ps1).
    Clean    removes every build output (out/, including the kept help and its stamp, and every bin/ and obj/).
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Cluster
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Cluster', 'Package', 'Bench', 'Soak', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Bench only: the scenarios to run (all by default).
    # From bash, `-Scenario FanOut,FirstPod` arrives as one string: commas separate names either way.
    [ValidateScript({ $_ -split ',' | ForEach-Object { if ($_.Trim() -notin 'CompletionLatency', 'FanOut', 'FanOut1000', 'LogThroughput', 'ImportTime', 'FirstPod') { throw "Unknown scenario '$_': use CompletionLatency, FanOut, FanOut1000, LogThroughput, ImportTime or FirstPod." } }; $true })]
    [string[]] $Scenario = @(),

    # Bench only: scale every scenario down so that the benchmark itself takes under a minute.
    [switch] $Quick,

    # Cluster only: start the cluster of the last build instead of building first (right after -Task Demo or Build).
    [switch] $NoBuild,

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
# The node of the suite's and the demo's cluster has what the authoring tests schedule against
# (tests/Pester/PodAuthoring.Tests.ps1) and the README's standard pod template selects: the label pool=batch and two
# GPUs (nvidia.com/gpu). Neither changes where any other pod goes. A taint would keep every pod without its toleration
# off the only node, so the toleration tests start a tainted cluster of their own (Start-PrivateTestCluster).
$NodeArguments = '--node-label', 'pool=batch', '--node-extended-resource', 'nvidia.com/gpu=2'
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
    Copy-Item (Join-Path $Root 'LICENSE'), (Join-Path $Root 'CHANGELOG.md') $ModuleOut
    Set-Content -Path (Join-Path $ModuleOut 'PodManager.psd1') -Value (Get-StampedManifest) -NoNewline
    Copy-Item (Join-Path $Root 'src/PodManager/PodManager.format.ps1xml') $ModuleOut
    Remove-Item $staging -Recurse -Force
    if ($Configuration -eq 'Release') { Invoke-ReadyToRun }

    Build-ModuleHelp
    Write-Host "Module staged in $ModuleOut"
}

# The version has one source, <Version> in Directory.Build.props (the assemblies get it from there too); the staged
# manifest, and so the package, get it stamped over the source manifest's placeholder.
function Get-ModuleVersion {
    $version = @(Select-Xml -Path (Join-Path $Root 'Directory.Build.props') -XPath '/Project/PropertyGroup/Version' | ForEach-Object { $_.Node.InnerText })
    if ($version.Count -ne 1 -or -not [version]::TryParse($version[0], [ref] $null)) { throw "Directory.Build.props must have one <Version> of the form 1.2.3; it has '$($version -join ', ')'." }
    $version[0]
}

function Get-StampedManifest {
    $source = Get-Content -Raw (Join-Path $Root 'PodManager.psd1')
    $pattern = "(?m)^(\s*ModuleVersion\s*=\s*)'[^']*'"
    if ($source -notmatch $pattern) { throw "PodManager.psd1 has no ModuleVersion line to stamp." }
    $source -replace $pattern, "`${1}'$(Get-ModuleVersion)'"
}

# A fresh process's first cmdlet JIT-compiles about 4,000 methods (reading the kubeconfig, System.Text.Json's metadata
# for the pod types, our own code), most of its one-time cost (docs/benchmarks.md, FirstPod). ReadyToRun code
# compiled ahead of time against the runtime this build runs on removes about half of them. The assemblies keep their
# IL and their references, so a runtime of another major version or platform (pwsh 7.4 on .NET 8, Windows) ignores
# the native code and JIT-compiles as before; only a matching runtime uses it. Compiled files are kept in
# out/ready-to-run by the hash of their input, so that an unchanged KubernetesClient is compiled once.
function Invoke-ReadyToRun {
    $runtime = [Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
    $version = [Environment]::Version.ToString()
    $rid = [Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
    Invoke-Native dotnet @('restore', (Join-Path $Root 'build/ReadyToRun.Dependencies.csproj'), '--nologo', '-v', 'quiet',
        "-p:Crossgen2RuntimeIdentifier=$rid", "-p:Crossgen2Version=$version")
    $tools = Join-Path (Get-NuGetPackageRoot) "microsoft.netcore.app.crossgen2.$($rid.ToLowerInvariant())/$version/tools"
    $crossgen = Get-ChildItem $tools -File | Where-Object { $_.BaseName -eq 'crossgen2' -and $_.Extension -in '', '.exe' } | Select-Object -First 1
    if (-not $crossgen) { throw "No crossgen2 in $tools." }
    $os, $arch = $rid -split '-', 2
    $os = @{ win = 'windows'; osx = 'osx' }[$os] ?? 'linux'
    $dependencies = Join-Path $ModuleOut 'dependencies'
    $cache = New-Item -ItemType Directory -Path (Join-Path $Out 'ready-to-run') -Force
    # Paths, not patterns: pwsh would expand a pattern into many arguments, which crossgen2 takes for inputs.
    $references = @(Get-ChildItem $runtime, $dependencies -Filter '*.dll').FullName + (Join-Path $ModuleOut 'PodManager.Model.dll') + (Join-Path $PSHOME 'System.Management.Automation.dll')
    $assemblies = @(Get-ChildItem $dependencies -Filter '*.dll') + @(Get-ChildItem $ModuleOut -Filter 'PodManager*.dll')
    foreach ($assembly in $assemblies) {
        $hash = (Get-FileHash -LiteralPath $assembly.FullName -Algorithm SHA256).Hash.Substring(0, 16)
        $compiled = Join-Path $cache "$($assembly.BaseName).$version.$rid.$hash.dll"
        if (-not (Test-Path $compiled)) {
            $arguments = @($assembly.FullName, '-o', $compiled, '--targetos', $os, '--targetarch', $arch, '-O') + @($references | ForEach-Object { '-r', $_ })
            $log = & $crossgen.FullName @arguments 2>&1
            if ($LASTEXITCODE -ne 0) { throw "crossgen2 failed on $($assembly.Name) with exit code ${LASTEXITCODE}: $($log -join "`n")" }
        }
        Copy-Item $compiled $assembly.FullName -Force
    }
    Write-Host "ReadyToRun: $($assemblies.Count) assemblies compiled for .NET $version on $rid"
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
    # The expiring user's token must outlive the suite however slow the machine (Production.Tests.ps1 uses it late): 4 h.
    $cluster = Start-TestCluster -WorkDirectory $work.FullName -ExtraArguments ($NodeArguments + '--token-ttl', '14400')
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
    # The node the README's standard pod template selects (pool=batch), as the test suite's has.
    $cluster = Start-TestCluster -WorkDirectory $work.FullName -ExtraArguments $NodeArguments
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

# The test cluster in the foreground, to try the module on after the demo: the README's "Try it yourself".
function Invoke-Cluster {
    if ($NoBuild) {
        if (-not (Test-Path $TestClusterDll) -or -not (Test-Path (Join-Path $ModuleOut 'PodManager.psd1'))) {
            throw "-NoBuild starts the cluster of the last build, and there is none: run dotnet pwsh ./build.ps1 -Task Cluster without -NoBuild."
        }
    }
    else {
        Invoke-Build
    }

    $work = New-Item -ItemType Directory -Path (Join-Path $Out 'cluster') -Force
    $pidFile = Join-Path $work 'pid'
    if ((Test-Path $pidFile) -and (Get-Process -Id (Get-Content -Raw $pidFile).Trim() -ErrorAction Ignore)) {
        throw "A test cluster of this folder already runs (PID $((Get-Content -Raw $pidFile).Trim())), with $(Join-Path $work 'kubeconfig'): use it, or stop it with Ctrl+C where it runs."
    }

    Write-Host 'Starting the test cluster (a local Kubernetes emulator: pod commands run on this machine).'
    $cluster = Start-TestCluster -WorkDirectory $work.FullName
    Set-Content -Path $pidFile -Value $PID
    try {
        $quoted = $cluster.KubeConfig -replace "'", "''"
        Write-Host "The test cluster runs at $($cluster.Address). In another terminal, start pwsh in $Root (dotnet pwsh) and paste:"
        Write-Host ''
        Write-Host "    `$env:KUBECONFIG = '$quoted'"
        Write-Host '    Import-Module ./out/PodManager'
        Write-Host ''
        Write-Host "Then run the README's Quick start. kubectl works too: export KUBECONFIG='$quoted'"
        Write-Host 'Press Ctrl+C here to stop the cluster and every pod it runs.'
        Wait-Process -Id $cluster.Process.Id
        throw "The test cluster stopped by itself (exit code $($cluster.Process.ExitCode)); its output is in $($cluster.Log)."
    }
    finally {
        Stop-TestCluster -Cluster $cluster
        Remove-Item $cluster.KubeConfig, $pidFile -ErrorAction Ignore
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
    # Room for FanOut1000's thousand pods at once, beside the warm-up pod and pods still being deleted.
    $cluster = Start-TestCluster -WorkDirectory $work -ExtraArguments '--node-pods', '1100'
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
            ClusterProcessId = $cluster.Process.Id
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
    'Cluster' { Invoke-Cluster }
    'Package' { Invoke-Build; Invoke-Package }
    'Bench' { Invoke-Bench }
    'Soak' { Invoke-Soak }
    'Clean' {
        Remove-Item $Out -Recurse -Force -ErrorAction Ignore
        Get-ChildItem $Root -Directory -Recurse -Include bin, obj | Remove-Item -Recurse -Force -ErrorAction Ignore
        Write-Host 'Cleaned.'
    }
}
