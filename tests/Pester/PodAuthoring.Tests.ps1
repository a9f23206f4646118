# Every authoring parameter of New-KPod and Invoke-KPod, tested for its effect on the test cluster (the value seen
# inside the container, the file at the mount path, the scheduling outcome) and for its bad-input error. The suite's
# node has the label pool=batch and two nvidia.com/gpu (build.ps1); the toleration tests start a tainted cluster.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestCluster.psm1') -Force
    Initialize-PodManagerTest

    $script:suffix = (New-TestName 'a').Substring(2)
    $script:secret = "db-$suffix"
    $script:config = "app-$suffix"

    function New-ClusterObject {
        <# Creates an object from YAML with kubectl create -f (kubectl's create generators send protobuf, which the test cluster does not read). #>
        param([Parameter(Mandatory)] [string] $Yaml)
        $file = Join-Path ([IO.Path]::GetTempPath()) "podmanager-object-$([Guid]::NewGuid().ToString('N')).yaml"
        Set-Content -Path $file -Value $Yaml
        try { Invoke-Kubectl create -f $file | Out-Null } finally { Remove-Item $file }
    }

    New-ClusterObject "apiVersion: v1`nkind: Secret`nmetadata:`n  name: $secret`nstringData:`n  password: s3cr3t-value`n  user: etl`n"
    New-ClusterObject "apiVersion: v1`nkind: ConfigMap`nmetadata:`n  name: $config`ndata:`n  LOG_LEVEL: debug`n  app.ini: mode=fast`n"

    function Invoke-Checked {
        <# Invoke-KPod whose base container must succeed; keeps the pod, for Get-Log to read and remove. #>
        $result = Invoke-KPod @args -OnFinishAction KeepPod -ErrorAction Stop
        $result.ExitCode | Should -Be 0
        $result
    }

    function Get-Log {
        param([Parameter(Mandatory)] $Result)
        try { (($Result.Pod | Get-KPodLog -Container base).Message) -join "`n" } finally { $Result.Pod | Remove-KPod -GracePeriod 0 }
    }

    function Assert-Refused {
        <# The call writes one error (InvalidParameterValue unless -Id) whose message is -Like, outputs nothing and creates no pod. #>
        param([Parameter(Mandatory)] [scriptblock] $Call, [Parameter(Mandatory)] [string] $Like, [string] $Id = 'InvalidParameterValue')
        $before = @((Get-KPod).Name)
        $written = @(& $Call 2>&1)
        $errors = @($written | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $written | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] } | Should -BeNullOrEmpty
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $errors[0].Exception.Message | Should -BeLike $Like
        # Compared by name: pods of earlier tests may still be going away meanwhile.
        @(Get-KPod | Where-Object Name -NotIn $before) | Should -BeNullOrEmpty
    }

    function Wait-FailedScheduling {
        <# The scheduler's message for a pod it cannot place: waits on the pod's events for FailedScheduling. #>
        param([Parameter(Mandatory)] $Pod)
        ($Pod | Get-KPodEvent -Watch | Where-Object Reason -EQ 'FailedScheduling' | Select-Object -First 1).Message
    }
}

AfterAll {
    Invoke-Kubectl delete secret $script:secret --ignore-not-found | Out-Null
    Invoke-Kubectl delete configmap $script:config --ignore-not-found | Out-Null
}

Describe 'Env from Secrets and ConfigMaps' {
    It '-SecretEnv gives the container the value of one key of a Secret, and sends only the reference' {
        $result = Invoke-Checked -Image alpine -Command sh -Argument '-c', 'echo "user=$DB_USER"' -SecretEnv @{ DB_USER = "$secret/user" }
        (Get-ClusterPod -Name $result.Name).spec.containers[0].env[0].valueFrom.secretKeyRef.key | Should -Be 'user'
        Get-Log $result | Should -Be 'user=etl'
    }

    It '-ConfigMapEnv gives the container the value of one key of a ConfigMap' {
        Get-Log (Invoke-Checked -Image alpine -Command sh -Argument '-c', 'echo "level=$LEVEL"' -ConfigMapEnv @{ LEVEL = "$config/LOG_LEVEL" }) | Should -Be 'level=debug'
    }

    It '-EnvFrom gives the container every key of a Secret and a ConfigMap' {
        Get-Log (Invoke-Checked -Image alpine -Command sh -Argument '-c', 'echo "$user $LOG_LEVEL"' -EnvFrom "secret/$secret", "configmap/$config") | Should -Be 'etl debug'
    }

    It 'a key the Secret does not have fails the launch with CreateContainerConfigError' {
        Invoke-KPod -Image alpine -Command true -SecretEnv @{ X = "$secret/missing" } -ErrorVariable failure -ErrorAction SilentlyContinue | Out-Null
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'PodLaunchFailed,*'
        $failure[0].Exception.Diagnosis.Reason | Should -Be 'CreateContainerConfigError'
        $failure[0].Exception.Diagnosis.Message | Should -Match "couldn't find key missing in Secret default/$secret"
    }

    It 'refuses a reference without a key, and -EnvFrom without a kind' {
        Assert-Refused { New-KPod -Image alpine -SecretEnv @{ DB_PASSWORD = $secret } } "-SecretEnv DB_PASSWORD = '$secret' names no key*"
        Assert-Refused { New-KPod -Image alpine -ConfigMapEnv @{ LEVEL = '/LOG_LEVEL' } } "*'' is not a ConfigMap name*"
        Assert-Refused { New-KPod -Image alpine -EnvFrom $secret } "-EnvFrom '$secret' does not say what it names*"
    }
}

Describe '-Volume and New-KPodVolume' {
    It 'puts the keys of a ConfigMap at the mount path, with Items and DefaultMode' {
        $volume = New-KPodVolume -Name config -ConfigMap $config -MountPath /etc/app -Item @{ 'app.ini' = 'conf/app.ini' } -DefaultMode 0440
        $result = Invoke-Checked -Image alpine -Command sh -Argument '-c', 'cat /etc/app/conf/app.ini; echo; stat -L -c %a /etc/app/conf/app.ini; ls /etc/app' -Volume $volume
        Get-Log $result | Should -Be "mode=fast`n440`nconf"
    }

    It 'puts the keys of a Secret at the mount path, from a hashtable' {
        Get-Log (Invoke-Checked -Image alpine -Command cat -Argument /etc/db/user -Volume @{ name = 'db'; secret = $secret; mountPath = '/etc/db' }) | Should -Be 'etl'
    }

    It 'shares an emptyDir between an init container and the base container, and mounts a SubPath read-only' {
        $init = @{ name = 'prepare'; command = 'sh', '-c', 'mkdir /work/in; echo prepared > /work/in/flag'; volumeMounts = @{ name = 'work'; mountPath = '/work' } }
        $result = Invoke-Checked -Image alpine -Command sh -Argument '-c', 'cat /work/flag; touch /work/x 2>/dev/null || echo read-only' -InitContainer $init -Volume @{ Name = 'work'; EmptyDir = $true; MountPath = '/work'; SubPath = 'in'; ReadOnly = $true }
        Get-Log $result | Should -Be "prepared`nread-only"
    }

    It 'mounts a PersistentVolumeClaim, whose content outlives the pod' {
        $claim = "data-$suffix"
        New-ClusterObject "apiVersion: v1`nkind: PersistentVolumeClaim`nmetadata:`n  name: $claim`nspec:`n  accessModes: [ReadWriteOnce]`n  resources:`n    requests:`n      storage: 1Gi`n"
        try {
            $volume = New-KPodVolume -Name data -PersistentVolumeClaim $claim -MountPath /data
            Get-Log (Invoke-Checked -Image alpine -Command sh -Argument '-c', 'echo kept > /data/out' -Volume $volume) | Should -BeNullOrEmpty
            Get-Log (Invoke-Checked -Image alpine -Command cat -Argument /data/out -Volume $volume) | Should -Be 'kept'
        }
        finally {
            Invoke-Kubectl delete pvc $claim --wait=false | Out-Null
        }
    }

    It 'refuses a volume without a source, with two, or with a relative mount path' {
        Assert-Refused { New-KPod -Image alpine -Volume @{ Name = 'v'; MountPath = '/v' } } "-Volume 'v' has no source*"
        Assert-Refused { New-KPod -Image alpine -Volume @{ Name = 'v'; MountPath = '/v'; EmptyDir = $true; Secret = 's' } } "-Volume 'v' has 2 sources*"
        Assert-Refused { New-KPodVolume -Name v -MountPath v -EmptyDir } "New-KPodVolume 'v' needs an absolute MountPath*"
        Assert-Refused { New-KPodVolume -Name v -MountPath /v -Secret s -DefaultMode 0999 } "*DefaultMode '0999' is not an octal file mode*"
        Assert-Refused { New-KPod -Image alpine -Volume @{ Name = 'v'; MountPath = '/v'; EmptyDir = $true; Colour = 'red' } } "-Volume has the key 'Colour'*"
    }
}

Describe 'Scheduling: -Affinity, -Resource, -Toleration' {
    It '-Affinity places a pod on a node that matches it' {
        $affinity = @{ nodeAffinity = @{ requiredDuringSchedulingIgnoredDuringExecution = @{ nodeSelectorTerms = @(@{ matchExpressions = @(@{ key = 'pool'; operator = 'In'; values = 'batch' }) }) } } }
        Get-Log (Invoke-Checked -Image alpine -Command echo -Argument placed -Affinity $affinity) | Should -Be 'placed'
    }

    It '-Affinity that no node matches leaves the pod unschedulable, in the scheduler''s words' {
        $affinity = @{ NodeAffinity = @{ RequiredDuringSchedulingIgnoredDuringExecution = @{ NodeSelectorTerms = @{ MatchExpressions = @{ Key = 'pool'; Operator = 'In'; Values = 'gpu' } } } } }
        $pod = New-KPod -Image alpine -Command true -Affinity $affinity
        try {
            Wait-FailedScheduling $pod | Should -BeLike "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.*"
        }
        finally {
            $pod | Remove-KPod -GracePeriod 0
        }
    }

    It '-Resource asks for extended resources: one GPU of two fits, three do not' {
        $result = Invoke-Checked -Image alpine -Command true -Resource @{ 'nvidia.com/gpu' = 1 }
        (Get-ClusterPod -Name $result.Name).spec.containers[0].resources.limits.'nvidia.com/gpu' | Should -Be '1'
        Get-Log $result | Should -BeNullOrEmpty
        $pod = New-KPod -Image alpine -Command true -Resource @{ 'nvidia.com/gpu' = 3 }
        try {
            Wait-FailedScheduling $pod | Should -BeLike '0/1 nodes are available: 1 Insufficient nvidia.com/gpu.*'
        }
        finally {
            $pod | Remove-KPod -GracePeriod 0
        }
    }

    It 'refuses a bad affinity, resource and toleration' {
        Assert-Refused { New-KPod -Image alpine -Affinity @{ nodeAffinity = @{ requiredDuringSchedulingIgnoredDuringExecution = @{ nodeSelectorTerms = @{ matchExpressions = @{ key = 'pool'; operator = 'In' } } } } } } '*operator In and NotIn need at least one value*'
        Assert-Refused { New-KPod -Image alpine -Affinity 'pool=batch' } '-Affinity takes hashtables*'
        Assert-Refused { New-KPod -Image alpine -Resource @{ 'nvidia.com/gpu' = '0.5' } } '*counted in whole units*'
        Assert-Refused { New-KPod -Image alpine -Toleration 'dedicated=gpu:Never' } "-Toleration: effect 'Never' is not a taint effect*"
        Assert-Refused { New-KPod -Image alpine -Toleration @{ key = 'dedicated'; operater = 'Exists' } } '-Toleration is not a toleration*operater*'
    }

    Context 'on a node tainted dedicated=gpu:NoSchedule' {
        BeforeAll {
            $script:tainted = Start-PrivateTestCluster -ExtraArguments '--node-taint', 'dedicated=gpu:NoSchedule'
        }

        AfterAll {
            Stop-PrivateTestCluster -Cluster $script:tainted
        }

        It 'runs a pod that tolerates the taint, in kubectl''s syntax or as a hashtable' {
            foreach ($toleration in 'dedicated=gpu:NoSchedule', @{ key = 'dedicated'; operator = 'Exists' }) {
                $result = Invoke-KPod -KubeConfig $tainted.KubeConfig -Image alpine -Command echo -Argument tolerated -Toleration $toleration -ErrorAction Stop
                $result.Phase | Should -Be 'Succeeded'
            }
        }

        It 'leaves a pod without the toleration unschedulable, in the scheduler''s words' {
            $pod = New-KPod -KubeConfig $tainted.KubeConfig -Image alpine -Command true
            Wait-FailedScheduling $pod | Should -BeLike '0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}.*'
        }
    }
}

Describe 'Image pull secrets, priority classes and deadlines' {
    It '-ImagePullSecret lets the kubelet pull from a private registry' {
        $name = "regcred-$suffix"
        $auth = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('testcluster:registry-password'))
        $dockerConfig = @{ auths = @{ 'registry.private.test' = @{ username = 'testcluster'; password = 'registry-password'; auth = $auth } } } | ConvertTo-Json -Depth 5 -Compress
        New-ClusterObject "apiVersion: v1`nkind: Secret`nmetadata:`n  name: $name`ntype: kubernetes.io/dockerconfigjson`nstringData:`n  .dockerconfigjson: '$dockerConfig'`n"
        try {
            Get-Log (Invoke-Checked -Image 'registry.private.test/team/app:1.0' -Command echo -Argument pulled -ImagePullSecret $name) | Should -Be 'pulled'
        }
        finally {
            Invoke-Kubectl delete secret $name | Out-Null
        }
        Assert-Refused { New-KPod -Image alpine -ImagePullSecret 'Reg Cred' } "-ImagePullSecret 'Reg Cred' is not a Secret name*"
    }

    It '-PriorityClass sets the pod''s priority; a class that does not exist is refused by the server' {
        $result = Invoke-Checked -Image alpine -Command true -PriorityClass system-cluster-critical -Namespace kube-system
        (Get-ClusterPod -Name $result.Name -Namespace kube-system).spec.priority | Should -Be 2000000000
        $result.Pod | Remove-KPod -GracePeriod 0
        New-KPod -Image alpine -Command true -PriorityClass "nope-$suffix" -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'Forbidden,*'
        $failure[0].Exception.Message | Should -BeLike "*no PriorityClass with name nope-$suffix was found*An admission check of the cluster refused the object*"
        Assert-Refused { New-KPod -Image alpine -PriorityClass 'High!' } "-PriorityClass 'High!' is not a PriorityClass name*"
    }

    It '-ActiveDeadline ends a pod that runs too long with DeadlineExceeded, which the diagnosis names' {
        $result = Invoke-KPod -Image alpine -Command sleep -Argument 600 -ActiveDeadline 1 -ErrorVariable failure -ErrorAction SilentlyContinue
        $result.Phase | Should -Be 'Failed'
        $failure[0].Exception.Diagnosis.Reason | Should -Be 'DeadlineExceeded'
        $failure[0].Exception.Diagnosis.RecommendedAction | Should -BeLike '*-ActiveDeadline*'
        Assert-Refused { New-KPod -Image alpine -ActiveDeadline 0 } '-ActiveDeadline must be positive*'
    }
}

Describe 'The container: -SecurityContext, -WorkingDirectory, -InitContainer, -Sidecar' {
    It '-SecurityContext Restricted passes a namespace that enforces the restricted Pod Security Standard, which refuses the pod without it' {
        $ns = "restricted-$suffix"
        New-ClusterObject "apiVersion: v1`nkind: Namespace`nmetadata:`n  name: $ns`n  labels:`n    pod-security.kubernetes.io/enforce: restricted`n"
        try {
            New-KPod -Namespace $ns -Image alpine -Command true -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $failure[0].FullyQualifiedErrorId | Should -BeLike 'PodSecurityViolation,*'
            $failure[0].Exception.Message | Should -BeLike '*enforces Pod Security "restricted:*-SecurityContext Restricted*'
            New-KPodManifest -Namespace $ns -Image alpine -Command true -Validate -ErrorVariable validated -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $validated[0].FullyQualifiedErrorId | Should -BeLike 'PodSecurityViolation,*'
            (New-KPodManifest -Namespace $ns -Image alpine -Command true -SecurityContext Restricted -Validate).Validated | Should -BeTrue
            $result = Invoke-Checked -Namespace $ns -Image alpine -XCom -Command sh -Argument '-c', 'id -u > /airflow/xcom/return.json; id -u' -SecurityContext Restricted
            $result.XCom | Should -Be 65534
            Get-Log $result | Should -Be '65534'
        }
        finally {
            Invoke-Kubectl delete namespace $ns --wait=false | Out-Null
        }
    }

    It '-SecurityContext as a hashtable sets the base container''s security context' {
        Get-Log (Invoke-Checked -Image alpine -Command id -Argument '-u' -SecurityContext @{ RunAsUser = 4321; allowPrivilegeEscalation = $false }) | Should -Be '4321'
        Assert-Refused { New-KPod -Image alpine -SecurityContext @{ runAsUsr = 1 } } '-SecurityContext is not a container security context*runAsUsr*'
        Assert-Refused { New-KPod -Image alpine -SecurityContext Lax } "-SecurityContext takes the preset 'Restricted'*not 'Lax'*"
    }

    It '-WorkingDirectory is where the command starts' {
        Get-Log (Invoke-Checked -Image alpine -Command pwd -WorkingDirectory /job/work) | Should -Be '/job/work'
        Assert-Refused { New-KPod -Image alpine -WorkingDirectory 'job' } "-WorkingDirectory 'job' is not an absolute path*"
    }

    It '-InitContainer runs before the base container, and one that fails stops the launch' {
        $init = @{ name = 'fetch'; command = 'sh', '-c', 'exit 3' }
        Invoke-KPod -Image alpine -Command true -InitContainer $init -ErrorVariable failure -ErrorAction SilentlyContinue | Out-Null
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'PodLaunchFailed,*'
        $failure[0].Exception.Diagnosis.Reason | Should -Be 'InitContainerFailed'
        $failure[0].Exception.Diagnosis.Container | Should -Be 'fetch'
        Assert-Refused { New-KPod -Image alpine -InitContainer @{ command = 'true' } } '-InitContainer has no name*'
        Assert-Refused { New-KPod -Image alpine -InitContainer 'fetch' } '-InitContainer takes hashtables*'
    }

    It '-Sidecar runs beside the base container and is stopped when it has finished' {
        $shared = @{ Name = 'shared'; EmptyDir = $true; MountPath = '/shared' }
        $sidecar = @{ name = 'helper'; command = 'sh', '-c', 'echo from-sidecar > /shared/msg; exec sleep 3600'; volumeMounts = @{ name = 'shared'; mountPath = '/shared' } }
        $result = Invoke-Checked -Image alpine -Command sh -Argument '-c', 'until [ -f /shared/msg ]; do sleep 0.1; done; cat /shared/msg' -Volume $shared -Sidecar $sidecar
        (Get-ClusterPod -Name $result.Name).spec.initContainers[0].restartPolicy | Should -Be 'Always'
        Invoke-Kubectl wait --for=jsonpath='{.status.phase}'=Succeeded "pod/$($result.Name)" --timeout=10m | Out-Null
        Get-Log $result | Should -Be 'from-sidecar'
        Assert-Refused { New-KPod -Image alpine -Sidecar @{ name = 'helper'; restartPolicy = 'Never' } } "-Sidecar 'helper' has restartPolicy 'Never'*"
        Assert-Refused { New-KPod -Image alpine -Sidecar @{ name = 'base' } } "More than one container is named 'base'*"
    }
}

Describe '-Manifest is exactly the pod' {
    It 'refuses an authoring parameter with -Manifest, pointing at -Template' {
        $manifest = @{ spec = @{ containers = @(@{ name = 'base'; image = 'alpine' }) } }
        Assert-Refused { New-KPod -Manifest $manifest -Env @{ A = 1 } } '-Manifest is exactly the pod to create, so it takes no -Env. *-Template*' -Id 'ManifestConflict'
        Assert-Refused { Invoke-KPod -Manifest $manifest -Toleration 'a:NoSchedule' } '*takes no -Toleration*' -Id 'ManifestConflict'
    }
}

Describe 'kubectl describe' {
    It 'shows the env from, volumes and tolerations of a pod made with the parameters' {
        $pod = New-KPod -Image alpine -Command sleep -Argument 60 -EnvFrom "configmap/$config" -SecretEnv @{ DB_PASSWORD = "$secret/password" } -Volume @{ Name = 'config'; ConfigMap = $config; MountPath = '/etc/app' } -Toleration 'dedicated=batch:NoSchedule'
        try {
            $described = (Invoke-Kubectl describe pod $pod.Name) -join "`n"
            $described | Should -Match "DB_PASSWORD:\s+<set to the key 'password' in secret '$secret'>"
            $described | Should -Match "Environment Variables from:\s*\n\s+$config\s+ConfigMap\s+Optional: false"
            $described | Should -Match "/etc/app from config \((ro|rw)\)"
            $described | Should -Match "Type:\s+ConfigMap \(a volume populated by a ConfigMap\)\s*\n\s+Name:\s+$config"
            $described | Should -Match 'Tolerations:\s+dedicated=batch:NoSchedule'
            $described | Should -Not -Match 's3cr3t-value'
        }
        finally {
            $pod | Remove-KPod -GracePeriod 0
        }
    }
}
