BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestCluster.psm1') -Force
    Initialize-PodManagerTest

    function Start-Waiting {
        <#
            Runs -Script (a wait, given -Pod) in a thread job of this process, so it shares the engine, with -Verbose
            on; returns the job once the wait reports the pod running (a progress record), so a test can kill the
            cluster mid-wait. The job outputs the error that ended it, the verbose lines and the warnings.
        #>
        param([Parameter(Mandatory)] [string] $Script, $Pod)
        $job = Start-ThreadJob -ArgumentList $env:PODMANAGER_TEST_MODULE, $Script, $Pod -ScriptBlock {
            param($module, $script, $pod)
            Import-Module $module
            $ErrorActionPreference = 'Stop'
            $ProgressPreference = 'Continue'
            $verbose = [Collections.Generic.List[string]]::new()
            $warnings = [Collections.Generic.List[string]]::new()
            $failure = $null
            try {
                & ([scriptblock]::Create($script)) $pod 4>&1 3>&1 | ForEach-Object {
                    if ($_ -is [Management.Automation.VerboseRecord]) { $verbose.Add($_.Message) }
                    elseif ($_ -is [Management.Automation.WarningRecord]) { $warnings.Add($_.Message) }
                }
            }
            catch {
                $failure = $_
            }
            [pscustomobject]@{ Error = $failure; Verbose = $verbose.ToArray(); Warnings = $warnings.ToArray() }
        }
        $source = "waiting-$($job.Id)"
        Register-ObjectEvent -InputObject $job.Progress -EventName DataAdded -SourceIdentifier $source
        try {
            while (-not ($job.Progress | Where-Object StatusDescription -Like '*(Running)*')) {
                if ($job.State -in 'Completed', 'Failed', 'Stopped' -or -not (Wait-Event -SourceIdentifier $source -Timeout 120)) {
                    throw "The wait never saw the pod running: $($job | Receive-Job -Keep | Out-String)"
                }
                Remove-Event -SourceIdentifier $source
            }
        }
        finally {
            Unregister-Event -SourceIdentifier $source
            Remove-Event -SourceIdentifier $source -ErrorAction Ignore
        }
        $job
    }

    function Receive-Waiting {
        <# The job's outcome; bounded, so that a wait that never ends fails the test instead of hanging the suite. #>
        param([Parameter(Mandatory)] $Job)
        $Job | Wait-Job -Timeout 300 | Out-Null
        $Job.State | Should -Be 'Completed' -Because 'a wait on a dead cluster must end'
        $Job | Receive-Job
    }
}

Describe 'A cluster that dies mid-wait' {
    BeforeEach {
        $script:cluster = Start-PrivateTestCluster
        $script:server = (Select-String -Path $script:cluster.KubeConfig -Pattern '^\s*server:\s*(\S+)').Matches[0].Groups[1].Value
    }

    AfterEach {
        Remove-Item Env:PODMANAGER_UNREACHABLE_TIMEOUT -ErrorAction Ignore
        Stop-PrivateTestCluster -Cluster $script:cluster
        if ($script:job) { $script:job | Remove-Job -Force; $script:job = $null }
    }

    It 'ends a wait with -Timeout as ClusterUnreachable, not as the pod''s timeout, and -Verbose shows each reconnect' {
        $pod = New-KPod -KubeConfig $cluster.KubeConfig -Image alpine -Command sleep -Argument 300 | Wait-KPodStart
        $script:job = $job = Start-Waiting -Pod $pod -Script 'param($pod) $pod | Wait-KPodCompletion -Timeout 20 -Verbose'

        Stop-PrivateTestCluster -Cluster $cluster
        $outcome = Receive-Waiting -Job $job

        $outcome.Error.FullyQualifiedErrorId | Should -BeLike 'ClusterUnreachable,*'
        $outcome.Error.Exception.Message | Should -BeLike "The API server at $server has been unreachable for the last * s (*) when the time limit of 20 s ran out*"
        $outcome.Error.Exception.Message | Should -Not -Match 'had not completed'
        $outcome.Error.Exception.InnerException.ErrorId | Should -Be 'PodCompletionTimeout'
        $outcome.Verbose -like 'GET /api/v1/namespaces/default/pods?watch=true*-> Connection refused*(attempt 2)' | Should -Not -BeNullOrEmpty
        $outcome.Verbose -like "The watch of pods in namespace 'default' *reconnecting in *" | Should -Not -BeNullOrEmpty
    }

    It 'ends Invoke-KPod without -Timeout as ClusterUnreachable once the cluster has been gone for PODMANAGER_UNREACHABLE_TIMEOUT' {
        # Read when the engine for this kubeconfig is made, by the first cmdlet that uses it.
        $env:PODMANAGER_UNREACHABLE_TIMEOUT = '2s'
        $script:job = $job = Start-Waiting -Pod $cluster.KubeConfig -Script 'param($kubeconfig) Invoke-KPod -KubeConfig $kubeconfig -Image alpine -Command sleep -Argument 300 -Verbose'

        Stop-PrivateTestCluster -Cluster $cluster
        $outcome = Receive-Waiting -Job $job

        $outcome.Error.FullyQualifiedErrorId | Should -BeLike 'ClusterUnreachable,*'
        $outcome.Error.Exception.Message | Should -BeLike "The API server at $server has been unreachable for the last * s (*), longer than the 2 s a wait rides out*"
        $outcome.Verbose -like 'GET /api/v1/namespaces/default/pods?watch=true*-> Connection refused*' | Should -Not -BeNullOrEmpty
        $outcome.Warnings -like 'The finish action DeletePod could not be applied to pod default/*: Cannot reach the API server*' | Should -Not -BeNullOrEmpty
    }
}
