# Shared by every Pester file: the loopback guard, the module import, and small helpers to inspect the
# test cluster through kubectl (so assertions check what a user would see, not our own reading of it).

function Assert-LoopbackKubeConfig {
    <# Refuses any kubeconfig whose server is not on 127.0.0.1: tests must never reach a real cluster. #>
    param([string] $Path = $env:KUBECONFIG)
    if (-not $Path -or -not (Test-Path $Path)) { throw "The tests need KUBECONFIG to point at the test cluster's kubeconfig; got '$Path'." }
    $servers = @(Select-String -Path $Path -Pattern '^\s*server:\s*(\S+)' | ForEach-Object { $_.Matches[0].Groups[1].Value.Trim('"', "'") })
    if ($servers.Count -eq 0) { throw "Kubeconfig '$Path' names no server." }
    foreach ($server in $servers) {
        if (([Uri] $server).Host -ne '127.0.0.1') { throw "Refusing kubeconfig '$Path': server '$server' is not on 127.0.0.1." }
    }
}

function Initialize-PodManagerTest {
    Assert-LoopbackKubeConfig
    if (-not (Get-Module PodManager)) { Import-Module $env:PODMANAGER_TEST_MODULE -Global -ErrorAction Stop }
}

function Invoke-Kubectl {
    <# kubectl against the test cluster, with a private discovery cache; returns stdout, throws on failure. #>
    Assert-LoopbackKubeConfig
    $cache = Join-Path ([IO.Path]::GetTempPath()) "podmanager-kubectl-cache-$PID"
    $output = & kubectl --kubeconfig $env:KUBECONFIG --cache-dir $cache @args 2>&1
    if ($LASTEXITCODE -ne 0) { throw "kubectl $($args -join ' ') failed ($LASTEXITCODE): $output" }
    $output
}

function Get-ClusterPod {
    <# The pod as the API server has it (kubectl get -o json), or $null when it does not exist. #>
    param([Parameter(Mandatory)] [string] $Name, [string] $Namespace = 'default')
    $json = & kubectl --kubeconfig $env:KUBECONFIG get pod $Name -n $Namespace -o json 2>$null
    if ($LASTEXITCODE -ne 0) { return $null }
    $json | ConvertFrom-Json
}

function New-TestName {
    <# A unique DNS-1123 pod name, so tests sharing one cluster never collide. #>
    param([string] $Prefix = 'pester')
    "$Prefix-$([Guid]::NewGuid().ToString('N').Substring(0, 8))"
}

function New-RefusingKubeConfig {
    <# A copy of the test kubeconfig whose server is a free port of 127.0.0.1, where nothing listens: every connection is refused. #>
    param([Parameter(Mandatory)] [string] $Path)
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    (Get-Content -Raw $env:KUBECONFIG) -replace 'server:\s*\S+', "server: https://127.0.0.1:$port" | Set-Content $Path
    Assert-LoopbackKubeConfig -Path $Path
    [pscustomobject]@{ Path = $Path; Port = $port }
}

function Invoke-FreshPwsh {
    <# Runs a script in a new pwsh process (a clean AppDomain) and returns its output; throws on failure. #>
    param([Parameter(Mandatory)] [string] $Script)
    $file = Join-Path ([IO.Path]::GetTempPath()) "podmanager-fresh-$([Guid]::NewGuid().ToString('N')).ps1"
    Set-Content -Path $file -Value $Script
    try {
        $output = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $file 2>&1
        if ($LASTEXITCODE -ne 0) { throw "The fresh pwsh failed ($LASTEXITCODE): $($output -join "`n")" }
        $output
    }
    finally {
        Remove-Item $file -ErrorAction Ignore
    }
}

function Start-InRunspace {
    <#
        Starts a script in a runspace of its own, with the module imported and -ArgumentList as its arguments, and
        returns it running. Wait-InRunspaceProgress then waits for its first progress record, which a PodManager wait
        writes once it has its pod: a state to wait on before changing the pod under it.
    #>
    param([Parameter(Mandatory)] [string] $Script, [object[]] $ArgumentList = @())
    $powershell = [PowerShell]::Create()
    $null = $powershell.AddScript("Import-Module '$env:PODMANAGER_TEST_MODULE'").AddStatement().AddScript($Script)
    foreach ($argument in $ArgumentList) { $null = $powershell.AddArgument($argument) }
    $source = "podmanager-progress-$([Guid]::NewGuid().ToString('N'))"
    $null = Register-ObjectEvent -InputObject $powershell.Streams.Progress -EventName DataAdded -SourceIdentifier $source
    [pscustomobject]@{ PowerShell = $powershell; Handle = $powershell.BeginInvoke(); Progress = $source }
}

function Wait-InRunspaceProgress {
    <# Waits until the script of Start-InRunspace has written progress; throws if it has not within -TimeoutSeconds. #>
    param([Parameter(Mandatory)] $Run, [int] $TimeoutSeconds = 120)
    if (-not (Wait-Event -SourceIdentifier $Run.Progress -Timeout $TimeoutSeconds)) {
        throw "The script wrote no progress within $TimeoutSeconds s; errors so far: $($Run.PowerShell.Streams.Error -join '; ')"
    }
}

function Complete-InRunspace {
    <# Waits for the script of Start-InRunspace to end and returns its output; its errors stay in .PowerShell.Streams.Error. #>
    param([Parameter(Mandatory)] $Run)
    $Run.PowerShell.EndInvoke($Run.Handle)
}

function Stop-InRunspace {
    <# Stops the script of Start-InRunspace if it still runs, and frees it; safe to call more than once. #>
    param([Parameter(Mandatory)] $Run)
    Unregister-Event -SourceIdentifier $Run.Progress -ErrorAction Ignore
    Remove-Event -SourceIdentifier $Run.Progress -ErrorAction Ignore
    $Run.PowerShell.Dispose()
}

Export-ModuleMember -Function Assert-LoopbackKubeConfig, Initialize-PodManagerTest, Invoke-Kubectl, Get-ClusterPod, New-TestName, New-RefusingKubeConfig, Invoke-FreshPwsh,
    Start-InRunspace, Wait-InRunspaceProgress, Complete-InRunspace, Stop-InRunspace
