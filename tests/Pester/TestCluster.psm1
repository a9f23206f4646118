# The test cluster's fault-injection and counter API (/_testcluster/, docs/test-cluster.md), for Pester:
# make the cluster misbehave on demand, then check what the cmdlets did about it.

function Get-TestClusterEndpoint {
    Assert-LoopbackKubeConfig
    $server = & kubectl --kubeconfig $env:KUBECONFIG config view --raw -o 'jsonpath={.clusters[0].cluster.server}'
    $token = & kubectl --kubeconfig $env:KUBECONFIG config view --raw -o 'jsonpath={.users[?(@.name=="testcluster")].user.token}'
    if (([Uri] $server).Host -ne '127.0.0.1') { throw "Refusing the test cluster API at '$server': not on 127.0.0.1." }
    [pscustomobject]@{ Server = $server.TrimEnd('/'); Token = $token }
}

function Invoke-TestClusterAdmin {
    param([Parameter(Mandatory)] [string] $Method, [Parameter(Mandatory)] [string] $Path, $Body)
    $endpoint = Get-TestClusterEndpoint
    $request = @{
        Uri                  = "$($endpoint.Server)/_testcluster/$Path"
        Method               = $Method
        Headers              = @{ Authorization = "Bearer $($endpoint.Token)" }
        SkipCertificateCheck = $true # a self-signed CA on 127.0.0.1, checked just above
    }
    if ($null -ne $Body) { $request.Body = $Body | ConvertTo-Json -Compress; $request.ContentType = 'application/json' }
    Invoke-RestMethod @request
}

function Add-TestClusterFault {
    <# Adds a fault rule: a status (with -Status), -DropResponse, -CutLogStreams -AfterLines, or -DelayMilliseconds. #>
    [CmdletBinding(DefaultParameterSetName = 'Status')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Status')] [int] $Status,
        [Parameter(ParameterSetName = 'Status')] [int] $RetryAfterSeconds,
        [Parameter(Mandatory, ParameterSetName = 'Drop')] [switch] $DropResponse,
        [Parameter(Mandatory, ParameterSetName = 'Cut')] [switch] $CutLogStreams,
        [Parameter(Mandatory, ParameterSetName = 'Cut')] [int] $AfterLines,
        [Parameter(ParameterSetName = 'Cut')] [switch] $Abort,
        [Parameter(Mandatory, ParameterSetName = 'Delay')] [int] $DelayMilliseconds,
        [string] $Method,
        [string] $Path,
        [int] $Count = 1
    )
    $rule = [ordered]@{ count = $Count }
    switch ($PSCmdlet.ParameterSetName) {
        'Status' { $rule.kind = 'status'; $rule.status = $Status; if ($RetryAfterSeconds) { $rule.retryAfterSeconds = $RetryAfterSeconds } }
        'Drop' { $rule.kind = 'dropResponse' }
        'Cut' { $rule.kind = 'cutLogStreams'; $rule.afterLines = $AfterLines; $rule.abort = [bool] $Abort }
        'Delay' { $rule.kind = 'delay'; $rule.milliseconds = $DelayMilliseconds }
    }
    if ($Method) { $rule.method = $Method }
    if ($Path) { $rule.path = $Path }
    Invoke-TestClusterAdmin -Method Post -Path 'faults' -Body $rule | Out-Null
}

function Get-TestClusterFault {
    <# The fault rules still active, each with its rule and the uses it has Remaining: a rule that kept all its uses never struck. #>
    # Invoke-RestMethod gives a JSON array as one object: each rule is written on its own.
    Invoke-TestClusterAdmin -Method Get -Path 'faults' | ForEach-Object { $_ }
}

function Clear-TestClusterFault { Invoke-TestClusterAdmin -Method Delete -Path 'faults' | Out-Null }

function Close-TestClusterWatch {
    <# Ends every open watch now; with -ExpireNext the next watch from a resourceVersion gets 410 Expired. #>
    param([switch] $ExpireNext)
    if ($ExpireNext) { Invoke-TestClusterAdmin -Method Post -Path 'watches/expire' | Out-Null }
    Invoke-TestClusterAdmin -Method Post -Path 'watches/close' | Out-Null
}

function Start-TestClusterOutage {
    <# Refuses or resets every connection for -Seconds; the cluster's state carries on. #>
    param([Parameter(Mandatory)] [int] $Seconds)
    Invoke-TestClusterAdmin -Method Post -Path 'outage' -Body @{ seconds = $Seconds } | Out-Null
}

function Wait-TestClusterAvailable {
    <# After an outage: returns once the API answers again (within -TimeoutSeconds). #>
    param([int] $TimeoutSeconds = 60)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ($true) {
        & kubectl --kubeconfig $env:KUBECONFIG get --raw /version *> $null
        if ($LASTEXITCODE -eq 0) { return }
        if ([DateTime]::UtcNow -gt $deadline) { throw "The test cluster did not answer within $TimeoutSeconds s." }
        Start-Sleep -Milliseconds 250
    }
}

function Stop-TestClusterContainer {
    <# Kills a container and records the exit code and reason given (OOMKilled by default). #>
    param([Parameter(Mandatory)] [string] $Pod, [string] $Namespace = 'default', [string] $Container = 'base', [int] $ExitCode = 137, [string] $Reason = 'OOMKilled')
    Invoke-TestClusterAdmin -Method Post -Path "pods/$Namespace/$Pod/containers/$Container/terminate" -Body @{ exitCode = $ExitCode; reason = $Reason } | Out-Null
}

function Invoke-TestClusterEviction {
    param([Parameter(Mandatory)] [string] $Pod, [string] $Namespace = 'default')
    Invoke-TestClusterAdmin -Method Post -Path "pods/$Namespace/$Pod/evict" | Out-Null
}

function Get-TestClusterRequestCount {
    <# Requests served, by verb and resource: @{ 'create pods' = 3; 'watch pods' = 1; ... } #>
    $counts = Invoke-TestClusterAdmin -Method Get -Path 'requests'
    $table = @{}
    foreach ($property in $counts.PSObject.Properties) { $table[$property.Name] = [long] $property.Value }
    $table
}

function Reset-TestClusterRequestCount { Invoke-TestClusterAdmin -Method Delete -Path 'requests' | Out-Null }

function Start-PrivateTestCluster {
    <#
        A test cluster of the test's own, as a separate process (PODMANAGER_TEST_CLUSTER names its dll), for tests
        that kill it or need a node the suite's cluster does not have (-ExtraArguments: '--node-taint', 'k=v:NoSchedule',
        options of docs/test-cluster.md); returns its process, kubeconfig and directory once it is ready.
        Stop-PrivateTestCluster ends it.
    #>
    param([string[]] $ExtraArguments = @())
    $dll = $env:PODMANAGER_TEST_CLUSTER
    if (-not $dll -or -not (Test-Path $dll)) { throw "PODMANAGER_TEST_CLUSTER must name the built PodManager.TestCluster.dll; got '$dll'." }
    $directory = New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "podmanager-private-cluster-$([Guid]::NewGuid().ToString('N').Substring(0, 8))")
    $kubeconfig = Join-Path $directory 'kubeconfig'
    $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in @($dll, '--kubeconfig', $kubeconfig, '--work-dir', $directory.FullName) + $ExtraArguments) { $info.ArgumentList.Add($argument) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $errors = $process.StandardError.ReadToEndAsync()
    $ready = $process.StandardOutput.ReadLineAsync()
    $cluster = [pscustomobject]@{ Process = $process; KubeConfig = $kubeconfig; Directory = $directory.FullName }
    if (-not $ready.Wait([TimeSpan]::FromSeconds(60)) -or $ready.Result -notlike 'ready https://127.0.0.1:*') {
        Stop-PrivateTestCluster -Cluster $cluster
        throw "The private test cluster did not start: '$($ready.Result)'. $($errors.Result)"
    }
    Assert-LoopbackKubeConfig -Path $kubeconfig
    $cluster
}

function Stop-PrivateTestCluster {
    <# Kills the cluster and every container process it started (SIGKILL: the cluster just dies), and removes its files. #>
    param([Parameter(Mandatory)] $Cluster)
    if (-not $Cluster.Process.HasExited) { $Cluster.Process.Kill($true) }
    $Cluster.Process.WaitForExit()
    Remove-Item -Recurse -Force $Cluster.Directory -ErrorAction Ignore
}

function Get-ReleaseWaitScript {
    <# A script step that waits until Send-PodRelease has run in the container and its process is gone: a container
       that ends while the releasing exec still runs takes it down with it (exit 137), as on a real node. #>
    param([string] $Marker = '/tmp/go')
    "until [ -e $Marker ]; do sleep 0.05; done; while [ -e /proc/`$(cat $Marker) ]; do sleep 0.05; done"
}

function Send-PodRelease {
    <# Lets a container waiting in Get-ReleaseWaitScript go on: an exec that leaves its own PID in the marker (written
       aside and renamed, so the file is never read half written). #>
    param([Parameter(Mandatory)] $Pod, [string] $Marker = '/tmp/go', [string] $Container = 'base', [string] $Context, [string] $KubeConfig)
    $connection = @{}
    if ($Context) { $connection.Context = $Context }
    if ($KubeConfig) { $connection.KubeConfig = $KubeConfig }
    $result = Invoke-KPodCommand @connection -Namespace $Pod.Namespace -Name $Pod.Name -Container $Container -Command sh, '-c', "echo `$`$ > $Marker.tmp && mv $Marker.tmp $Marker" -ErrorAction Stop
    if ($result.ExitCode -ne 0) { throw "The release of $($Pod.Name) exited $($result.ExitCode)." }
}

function Update-TestClusterCredential {
    <# New tokens in the token file and behind the exec plugin (-Expire: every token with a lifetime ends now, and nothing is renewed until the next rotation). #>
    param([switch] $Expire)
    Invoke-TestClusterAdmin -Method Post -Path $(if ($Expire) { 'credentials/expire' } else { 'credentials/rotate' }) | Out-Null
}

function New-TestClusterToken {
    <# A token for any user name, valid for ever; bind a role to the user to give it rights. #>
    param([Parameter(Mandatory)] [string] $User)
    (Invoke-TestClusterAdmin -Method Post -Path 'tokens' -Body @{ user = $User }).token
}

Export-ModuleMember -Function Get-ReleaseWaitScript, Send-PodRelease, Update-TestClusterCredential, New-TestClusterToken, Add-TestClusterFault, Get-TestClusterFault, Clear-TestClusterFault, Close-TestClusterWatch, Start-TestClusterOutage, Wait-TestClusterAvailable,
    Stop-TestClusterContainer, Invoke-TestClusterEviction, Get-TestClusterRequestCount, Reset-TestClusterRequestCount,
    Start-PrivateTestCluster, Stop-PrivateTestCluster
