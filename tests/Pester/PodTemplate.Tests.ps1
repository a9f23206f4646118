# -Template and New-KPodManifest: the standard pod of the docs (docs/examples/standard-pod.yaml) plus overrides,
# checked field by field against the merge table (about_PodManager, TEMPLATES), on the pod the API server stored.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
    $script:standard = (Resolve-Path (Join-Path $PSScriptRoot '../../docs/examples/standard-pod.yaml')).Path
}

Describe '-Template with overrides' {
    BeforeAll {
        $overrides = @{
            Template       = $standard
            Image          = 'alpine:3.21'
            Command        = 'sh', '-c', 'echo "$STAGE $LOG_FORMAT $TASK"; echo "{\"done\": true}" > /airflow/xcom/return.json'
            Env            = @{ STAGE = 'dev'; TASK = 'orders' }
            Label          = @{ task = 'orders' }
            Annotation     = @{ owner = 'orders-team@example.com' }
            NodeSelector   = @{ 'kubernetes.io/os' = 'linux' }
            Toleration     = 'spot:NoSchedule'
            Memory         = '128Mi'
            Volume         = @{ Name = 'scratch'; EmptyDir = $true; SizeLimit = '2Gi'; MountPath = '/scratch' }, @{ Name = 'extra'; EmptyDir = $true; MountPath = '/extra' }
            ImagePullSecret = 'regcred'
            XCom           = $true
        }
        $script:result = Invoke-KPod @overrides -OnFinishAction KeepPod -ErrorAction Stop
        $script:pod = Get-ClusterPod -Name $result.Name
        $script:base = $pod.spec.containers | Where-Object name -EQ 'base'
    }

    AfterAll {
        $script:result.Pod | Remove-KPod -GracePeriod 0
    }

    It 'runs, and the container sees the merged environment' {
        $result.ExitCode | Should -Be 0
        $result.XCom.done | Should -BeTrue
        ($result.Pod | Get-KPodLog -Container base).Message | Should -Contain 'dev json orders'
    }

    It 'keeps the template''s generateName, service account and pod security context (scalars not given)' {
        $pod.metadata.name | Should -BeLike 'batch-*'
        $pod.spec.serviceAccountName | Should -Be 'default'
        $pod.spec.securityContext.runAsUser | Should -Be 1000
        $pod.spec.securityContext.seccompProfile.type | Should -Be 'RuntimeDefault'
        $pod.spec.restartPolicy | Should -Be 'Never'
    }

    It 'replaces the base container''s image and command (scalars and other lists given)' {
        $base.image | Should -Be 'alpine:3.21'
        $base.command | Should -Be @('sh', '-c', $overrides.Command[2])
    }

    It 'merges env by name: STAGE replaced, LOG_FORMAT kept, TASK added after' {
        $base.env.name | Should -Be @('STAGE', 'LOG_FORMAT', 'TASK')
        ($base.env | Where-Object name -EQ 'STAGE').value | Should -Be 'dev'
        ($base.env | Where-Object name -EQ 'LOG_FORMAT').value | Should -Be 'json'
    }

    It 'merges labels, annotations, node selector and resources key by key' {
        $pod.metadata.labels.team | Should -Be 'data'
        $pod.metadata.labels.task | Should -Be 'orders'
        $pod.metadata.labels.'app.kubernetes.io/managed-by' | Should -Be 'PodManager'
        $pod.metadata.annotations.owner | Should -Be 'orders-team@example.com'
        $pod.spec.nodeSelector.pool | Should -Be 'batch'
        $pod.spec.nodeSelector.'kubernetes.io/os' | Should -Be 'linux'
        $base.resources.requests.cpu | Should -Be '100m'
        $base.resources.requests.memory | Should -Be '128Mi'
        $base.resources.limits.memory | Should -Be '256Mi'
    }

    It 'adds tolerations to the template''s' {
        $own = $pod.spec.tolerations | Where-Object { $_.key -in 'dedicated', 'spot' }
        $own.key | Should -Be @('dedicated', 'spot')
        ($own | Where-Object key -EQ 'spot').operator | Should -Be 'Exists'
    }

    It 'merges volumes by name and mounts by mount path, with the XCom volume mounted in the base container' {
        $pod.spec.volumes.name | Should -Be @('xcom', 'scratch', 'extra')
        ($pod.spec.volumes | Where-Object name -EQ 'scratch').emptyDir.sizeLimit | Should -Be '2Gi'
        $base.volumeMounts.mountPath | Should -Be @('/airflow/xcom', '/scratch', '/extra')
        $pod.spec.imagePullSecrets.name | Should -Be @('regcred')
    }

    It 'adds the XCom sidecar to the templated pod, beside the template''s base container' {
        $pod.spec.containers.name | Should -Be @('base', 'airflow-xcom-sidecar')
    }
}

Describe '-Template forms' {
    It 'takes <Form>' -ForEach @(
        @{ Form = 'YAML text'; Value = "spec:`n  containers:`n  - name: main`n    image: alpine`n    env: [ { name: FROM, value: yaml } ]`n" }
        @{ Form = 'JSON text'; Value = '{ "spec": { "containers": [ { "name": "main", "image": "alpine", "env": [ { "name": "FROM", "value": "json" } ] } ] } }' }
        @{ Form = 'a hashtable'; Value = @{ spec = @{ containers = @(@{ name = 'main'; image = 'alpine'; env = @(@{ name = 'FROM'; value = 'hashtable' }) }) } } }
        @{ Form = 'a pod-shaped object'; Value = '{ "spec": { "containers": [ { "name": "main", "image": "alpine", "env": [ { "name": "FROM", "value": "object" } ] } ] } }' | ConvertFrom-Json }
    ) {
        $manifest = New-KPodManifest -Template $Value -Command sh -Argument '-c', 'echo $FROM'
        $pod = $manifest.Json | ConvertFrom-Json
        $pod.spec.containers.name | Should -Be @('main')
        $pod.spec.containers[0].command | Should -Be @('sh')
        $pod.spec.containers[0].env.name | Should -Be @('FROM')
        $pod.metadata.name | Should -BeLike 'alpine-*'
    }

    It 'takes the output of New-KPodManifest, and reports a path that does not exist' {
        $first = New-KPodManifest -Template $standard -Label @{ step = 'one' }
        $second = New-KPodManifest -Template $first -Name 'second-step' -Env @{ STEP = 'two' }
        $pod = $second.Json | ConvertFrom-Json
        $pod.metadata.name | Should -Be 'second-step'
        $pod.metadata.labels.step | Should -Be 'one'
        $pod.spec.containers[0].env.name | Should -Be @('STAGE', 'LOG_FORMAT', 'STEP')
        New-KPod -Template ./no-such-template.yaml -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'ManifestNotFound,*'
        $failure[0].Exception.Message | Should -BeLike "-Template './no-such-template.yaml' is neither an existing file*"
    }

    It 'checks a template as strictly as a manifest' {
        New-KPod -Template "spec:`n  containers:`n  - name: base`n    image: alpine`n    comand: [x]`n" -ErrorVariable failure -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'InvalidManifest,*'
        $failure[0].Exception.Message | Should -BeLike '*not a valid pod template*spec.containers`[0`].comand*'
    }
}

Describe 'New-KPodManifest' {
    It 'shows YAML, and the pod it shows is the pod New-KPod creates from it' {
        $manifest = New-KPodManifest -Image alpine -Command echo -Argument 'round trip' -XCom -SecretEnv @{ X = 'some-secret/key' } -Label @{ trip = 'round' }
        $manifest | Should -BeOfType ([PodManager.KPodManifest])
        ($manifest | Out-String) | Should -Match '(?m)^kind: Pod$'
        $manifest.Manifest | Should -Be $manifest.Yaml
        $sent = $manifest.Json | ConvertFrom-Json
        $pod = $manifest | New-KPod
        try {
            $pod.Name | Should -Be $manifest.Name
            $stored = Get-ClusterPod -Name $pod.Name
            $stored.spec.containers.name | Should -Be $sent.spec.containers.name
            $stored.spec.containers[0].env[0].valueFrom.secretKeyRef.name | Should -Be 'some-secret'
            $stored.spec.volumes.name | Should -Be $sent.spec.volumes.name
            $stored.metadata.labels.trip | Should -Be 'round'
        }
        finally {
            $pod | Remove-KPod -GracePeriod 0
        }
    }

    It 'creates nothing, and shows JSON with -AsJson' {
        $manifest = New-KPodManifest -Image alpine -Name 'only-shown' -AsJson
        ($manifest.Manifest | ConvertFrom-Json).metadata.name | Should -Be 'only-shown'
        Get-ClusterPod -Name 'only-shown' | Should -BeNullOrEmpty
    }

    It '-Validate returns the server''s defaulted pod and stores nothing' {
        $manifest = New-KPodManifest -Image alpine -Command true -PriorityClass system-cluster-critical -Namespace kube-system -Validate
        $manifest.Validated | Should -BeTrue
        $pod = $manifest.Json | ConvertFrom-Json
        $pod.spec.priority | Should -Be 2000000000
        $pod.spec.containers[0].terminationMessagePath | Should -Be '/dev/termination-log'
        Get-ClusterPod -Name $manifest.Name -Namespace kube-system | Should -BeNullOrEmpty
    }

    It '-Validate reports what a real create reports, with the same error id' -ForEach @(
        @{ Case = 'an invalid spec'; Arguments = @{ Manifest = "metadata:`n  name: Bad_Name`nspec:`n  containers:`n  - name: base`n    image: alpine`n" }; Id = 'InvalidPodSpec' }
        @{ Case = 'a priority class that does not exist'; Arguments = @{ Image = 'alpine'; PriorityClass = 'no-such-class' }; Id = 'Forbidden' }
        @{ Case = 'a namespace that does not exist'; Arguments = @{ Image = 'alpine'; Namespace = 'no-such-namespace' }; Id = 'NamespaceNotFound' }
    ) {
        New-KPodManifest @Arguments -Validate -ErrorVariable validated -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        New-KPod @Arguments -ErrorVariable created -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $validated[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $created[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
    }
}
