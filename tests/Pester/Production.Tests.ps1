# PodManager on a cluster locked down as production ones are: a namespace enforcing restricted Pod Security, the
# least-privilege Role of docs/rbac.md and nothing more, credentials rotated during the run, images from a private
# registry, and runners that die. Each failure is asserted by its error id and its words.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestCluster.psm1') -Force
    Initialize-PodManagerTest

    $script:repositoryRoot = Resolve-Path (Join-Path $PSScriptRoot '../..')
    # The Role exactly as docs/rbac.md gives it: the first yaml block, with its RoleBinding.
    $script:roleYaml = [regex]::Match((Get-Content -Raw (Join-Path $repositoryRoot 'docs/rbac.md')), '(?s)```yaml\r?\n(.*?)```').Groups[1].Value
    $roleYaml | Should -Match 'kind: Role\b'

    function script:New-LockedNamespace {
        <# A namespace enforcing -Level, with the docs' Role bound to -User and a pull secret for the private registry. #>
        param([Parameter(Mandatory)] [string] $User, [string] $Level = 'restricted', [string[]] $WithoutRule = @())
        $ns = New-TestName 'prod'
        Invoke-Kubectl create namespace $ns | Out-Null
        Invoke-Kubectl label namespace $ns "pod-security.kubernetes.io/enforce=$Level" | Out-Null
        $yaml = $roleYaml -replace 'namespace: default', "namespace: $ns" -replace 'name: my-runbook\s+#[^\r\n]*', "name: $User"
        foreach ($rule in $WithoutRule) { $yaml = $yaml -replace "(?m)^- apiGroups: \[""""\]\r?\n  resources: \[$([regex]::Escape($rule))\]\r?\n  verbs: \[[^\]]*\]\r?\n", '' }
        $file = Join-Path ([IO.Path]::GetTempPath()) "$ns-role.yaml"
        Set-Content -Path $file -Value $yaml
        try { Invoke-Kubectl apply -f $file | Out-Null } finally { Remove-Item $file }
        Invoke-Kubectl create secret docker-registry registry-credentials -n $ns --docker-server=registry.private.test --docker-username=testcluster --docker-password=registry-password | Out-Null
        $ns
    }

    function script:Get-RestrictedPodParameter {
        <# New-KPod's parameters for a pod the restricted level admits, from the private registry with its pull secret;
           -Script is its command. #>
        param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string] $Script, [switch] $NoPullSecret)
        $parameters = @{ Name = $Name; Image = 'registry.private.test/team/app:1.0'; Command = 'sh'; Argument = '-c', $Script; SecurityContext = 'Restricted' }
        if (-not $NoPullSecret) { $parameters.ImagePullSecret = 'registry-credentials' }
        $parameters
    }

    function script:Get-ServerConnection {
        <# The test cluster's server and CA (PEM), for Connect-KCluster -Server. #>
        $config = Invoke-Kubectl config view --raw --minify -o json | ConvertFrom-Json
        [pscustomobject]@{
            Server = $config.clusters[0].cluster.server
            CertificateAuthority = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($config.clusters[0].cluster.'certificate-authority-data'))
        }
    }
}

AfterAll {
    # Later files use the rotating contexts with the cluster's current tokens.
    Update-TestClusterCredential
}

Describe 'The README runbook on a production-like cluster' {
    It 'runs under the documented Role, restricted, from the private registry, with the XCom sidecar, through a token rotation, and leaves no pod' {
        $ns = New-LockedNamespace -User testcluster-tokenfile
        $name = New-TestName 'runbook'
        $pod = Get-RestrictedPodParameter -Name $name -Script "echo before; $(Get-ReleaseWaitScript); echo after; echo '{`"rows`": 42}' > /airflow/xcom/return.json"
        $run = Start-InRunspace -Script {
            param($KubeConfig, $Namespace, $Pod)
            Connect-KCluster -KubeConfig $KubeConfig -Context testcluster-tokenfile -Namespace $Namespace | Out-Null
            try {
                $result = Invoke-KPod @Pod -XCom -XComSidecarImage registry.private.test/library/alpine:3.22 -Timeout 120 -ErrorAction Stop
                "Loaded $($result.XCom.rows) rows; the pod was deleted: $($result.Deleted)"
            }
            finally {
                Disconnect-KCluster
            }
        } -ArgumentList $env:KUBECONFIG, $ns, $pod
        try {
            Wait-InRunspaceProgress -Run $run
            Update-TestClusterCredential
            Close-TestClusterWatch
            # The first request after the rotation that carries the old token is this exec; it reads the file again itself.
            Send-PodRelease -Pod ([pscustomobject]@{ Name = $name; Namespace = $ns }) -Context testcluster-tokenfile
            $output = Complete-InRunspace -Run $run
            $run.PowerShell.Streams.Error | Should -BeNullOrEmpty
            $output | Should -Be 'Loaded 42 rows; the pod was deleted: True'
            Invoke-Kubectl get pods -n $ns -o name | Should -BeNullOrEmpty
        }
        finally {
            Stop-InRunspace -Run $run
            Invoke-Kubectl delete namespace $ns --wait=false | Out-Null
        }
    }
}

Describe 'Refusals, each with its error id and words' {
    It 'a restricted namespace refuses a pod built from parameters: PodSecurityViolation with each check and its fix' {
        $ns = New-LockedNamespace -User testcluster-podmanager -Level restricted
        try {
            $err = { New-KPod -Namespace $ns -Name (New-TestName) -Image alpine -Command true -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'PodSecurityViolation,*'
            $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
            $err.Exception.Message | Should -Match 'the namespace enforces Pod Security "restricted:latest" and the pod violates it \[403 Forbidden\]'
            $err.Exception.Message | Should -Match '- allowPrivilegeEscalation != false \(container "base" must set securityContext.allowPrivilegeEscalation=false\): -SecurityContext Restricted'
            $err.Exception.Message | Should -Match '- runAsNonRoot != true \(pod or container "base" must set securityContext.runAsNonRoot=true\)'
            Invoke-Kubectl get pods -n $ns -o name | Should -BeNullOrEmpty
        }
        finally { Invoke-Kubectl delete namespace $ns --wait=false | Out-Null }
    }

    It 'a baseline namespace refuses a privileged pod: PodSecurityViolation naming the manifest field to remove' {
        $ns = New-LockedNamespace -User testcluster-podmanager -Level baseline
        try {
            $manifest = @{ apiVersion = 'v1'; kind = 'Pod'; metadata = @{ name = (New-TestName) }; spec = @{ containers = @(@{ name = 'base'; image = 'alpine'; command = @('true'); securityContext = @{ privileged = $true } }) } }
            $err = { New-KPod -Namespace $ns -Manifest $manifest -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'PodSecurityViolation,*'
            $err.Exception.Message | Should -Match 'enforces Pod Security "baseline:latest"'
            $err.Exception.Message | Should -Match '- privileged \(container "base" must not set securityContext.privileged=true\): in -Manifest, remove securityContext.privileged: true'
        }
        finally { Invoke-Kubectl delete namespace $ns --wait=false | Out-Null }
    }

    It 'a pod of the private registry without a pull secret fails to launch with the registry''s 401, and is not left' {
        $ns = New-LockedNamespace -User testcluster-podmanager
        try {
            $name = New-TestName 'nosecret'
            $pod = Get-RestrictedPodParameter -Name $name -Script 'true' -NoPullSecret
            $err = { Invoke-KPod -Namespace $ns @pod -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'PodLaunchFailed,*'
            $err.Exception.Message | Should -Match 'ErrImagePull'
            $err.Exception.Message | Should -Match 'registry.private.test/team/app:1.0.*401 Unauthorized'
            Invoke-Kubectl get pods -n $ns -o name | Should -BeNullOrEmpty
        }
        finally { Invoke-Kubectl delete namespace $ns --wait=false | Out-Null }
    }

    It 'without <Rule>, <Cmdlet> is Forbidden naming the verb, the resource and the namespace' -ForEach @(
        @{ Rule = 'pods/log'; Cmdlet = 'Get-KPodLog'; Refused = 'cannot get resource "pods/log"' }
        @{ Rule = 'pods/exec'; Cmdlet = 'Get-KPodXCom'; Refused = 'cannot (get|create) resource "pods/exec"' }
        @{ Rule = 'events'; Cmdlet = 'Get-KPodEvent'; Refused = 'cannot list resource "events"' }
    ) {
        $user = New-TestName 'least'
        $ns = New-LockedNamespace -User $user -WithoutRule $Rule
        $connection = Get-ServerConnection
        Connect-KCluster -Server $connection.Server -CertificateAuthority $connection.CertificateAuthority -Namespace $ns -Token (ConvertTo-SecureString (New-TestClusterToken $user) -AsPlainText -Force) | Out-Null
        try {
            $parameters = Get-RestrictedPodParameter -Name (New-TestName) -Script 'echo hello'
            $pod = New-KPod @parameters -XCom -XComSidecarImage registry.private.test/library/alpine:3.22 | Wait-KPodCompletion -Container base
            $err = { $pod | & $Cmdlet -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'Forbidden,*'
            $err.Exception.Message | Should -Match "User ""$user"" $Refused in API group """" in the namespace ""$ns"""
            $pod | Remove-KPod -Force
        }
        finally {
            Disconnect-KCluster
            Invoke-Kubectl delete namespace $ns --wait=false | Out-Null
        }
    }

    It 'without create on pods, New-KPod is Forbidden naming the verb, the resource and the namespace' {
        $err = { New-KPod -Context testcluster-readonly -Name (New-TestName) -Image alpine -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Forbidden,*'
        $err.Exception.Message | Should -Match 'User "testcluster-readonly" cannot create resource "pods" in API group "" in the namespace "default"'
    }

    It 'without delete on pods, Remove-KPod is Forbidden naming the verb, the resource and the namespace' {
        $pod = New-KPod -Image alpine -Command sleep -Argument 300
        try {
            $err = { Remove-KPod -Context testcluster-readonly -Name $pod.Name -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'Forbidden,*'
            $err.Exception.Message | Should -Match "User ""testcluster-readonly"" cannot delete resource ""pods"" in API group """" in the namespace ""default"""
        }
        finally { $pod | Remove-KPod -Force }
    }

    It 'without list and watch on pods, a wait still completes, with one warning naming the permission' {
        $ns = New-TestName 'nolist'
        Invoke-Kubectl create namespace $ns | Out-Null
        try {
            Invoke-Kubectl create rolebinding nolist -n $ns --clusterrole=testcluster:no-list --user=testcluster-nolist | Out-Null
            $result = Invoke-KPod -Context testcluster-nolist -Namespace $ns -Image alpine -Command sh -Argument '-c', 'echo polled' -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction Stop
            $result.Phase | Should -Be 'Succeeded'
            $warnings | Should -HaveCount 1
            "$warnings" | Should -Match "Waits on pods in namespace '$ns' cannot share one watch: .*User ""testcluster-nolist"" cannot list resource ""pods"" in API group """" in the namespace ""$ns"""
            "$warnings" | Should -Match "Grant list and watch on pods in namespace '$ns'"
        }
        finally { Invoke-Kubectl delete namespace $ns --wait=false | Out-Null }
    }

    It 'an expired token with nothing to refresh it is Unauthorized naming the user and the server' {
        Get-KPod -Context testcluster-expiring -ErrorAction Stop | Out-Null
        Update-TestClusterCredential -Expire
        try {
            $err = { Get-KPod -Context testcluster-expiring -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'Unauthorized,*'
            $server = (Get-ServerConnection).Server
            $err.Exception.Message | Should -Match "The API server at $([regex]::Escape($server)) rejected the credentials of user ""testcluster-expiring"" of context ""testcluster-expiring"", and they have no source to be read again from"
        }
        finally {
            Update-TestClusterCredential
        }
    }
}

Describe 'Connect-KCluster -Server -Token' {
    It 'connects without a kubeconfig, with the CA as a PEM file too, and never shows the token' {
        $connection = Get-ServerConnection
        $caFile = Join-Path ([IO.Path]::GetTempPath()) "$(New-TestName ca).pem"
        Set-Content -Path $caFile -Value $connection.CertificateAuthority
        $token = New-TestClusterToken (New-TestName 'vault')
        try {
            $cluster = Connect-KCluster -Server $connection.Server -Token (ConvertTo-SecureString $token -AsPlainText -Force) -CertificateAuthority $caFile
            $cluster.Server | Should -Be $connection.Server
            $cluster.ServerVersion | Should -Match '^v1\.'
            ($cluster | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($token))
        }
        finally {
            Disconnect-KCluster
            Remove-Item $caFile
        }
    }

    It 'refuses a server that is not a URL, and a CA that holds no certificate, before any request' {
        $token = ConvertTo-SecureString 'not-used' -AsPlainText -Force
        $err = { Connect-KCluster -Server 'cluster.example' -Token $token } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidParameterValue,*'
        $err.Exception.Message | Should -Match "-Server 'cluster.example' is not an API server URL"
        $err = { Connect-KCluster -Server (Get-ServerConnection).Server -Token $token -CertificateAuthority '-----BEGIN CERTIFICATE-----nonsense' } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidCertificateAuthority,*'
        $err.Exception.Message | Should -Match '-CertificateAuthority cannot be used'
    }
}

Describe 'A runner that dies' {
    It 'leaves a pod that Remove-KPod -Orphaned finds (-WhatIf keeps it) and deletes, and a live runner''s pod stays' {
        $name = New-TestName 'orphan'
        $live = New-KPod -Image alpine -Command sleep -Argument 300
        $script = Join-Path ([IO.Path]::GetTempPath()) "$name.ps1"
        Set-Content -Path $script -Value "Import-Module '$env:PODMANAGER_TEST_MODULE'; Invoke-KPod -Name $name -Image alpine -Command sleep -Argument 3600"
        $runner = Start-Process -FilePath dotnet -ArgumentList (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', $script -PassThru
        try {
            Invoke-Kubectl wait --for=create "pod/$name" --timeout=120s | Out-Null
            $started = Wait-KPodStart -Name $name -ErrorAction Stop
            (Get-ClusterPod -Name $name).metadata.annotations.'podmanager.io/runner-pid' | Should -Be "$($runner.Id)"
            $started.Status | Should -Be 'Running'

            & kill -KILL $runner.Id
            $runner.WaitForExit()

            Remove-KPod -Orphaned -WhatIf
            Get-ClusterPod -Name $name | Should -Not -BeNullOrEmpty
            $verbose = Remove-KPod -Orphaned -Force -Wait -Verbose 4>&1 | ForEach-Object { "$_" }
            $verbose | Should -Contain "Deleted orphaned pod default/${name}: its runner, process $($runner.Id) on host $([Environment]::MachineName), is no longer running."
            Get-ClusterPod -Name $name | Should -BeNullOrEmpty
            Get-ClusterPod -Name $live.Name | Should -Not -BeNullOrEmpty
        }
        finally {
            if (-not $runner.HasExited) { $runner.Kill() }
            Remove-Item $script -ErrorAction Ignore
            $live | Remove-KPod -Force
            Remove-KPod -Name $name -Force
        }
    }
}
