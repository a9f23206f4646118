BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestCluster.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'SecretScan.psm1') -Force
    Initialize-PodManagerTest
    $script:secrets = Get-KubeConfigSecret -Path $env:KUBECONFIG
}

Describe 'The secret scan' {
    It 'reads every token and the CA data of the kubeconfig the suite runs on' {
        # Five tokens in the kubeconfig and the one its tokenFile user holds; the exec plugin's is not read.
        @($secrets | Where-Object Kind -Like 'user * token').Count | Should -Be 6
        $secrets.Kind | Should -Contain 'cluster testcluster certificate-authority-data'
        $secrets.Kind | Should -Contain 'cluster testcluster certificate-authority-data (decoded)'
    }

    It 'finds a token kept deep inside an error record, where KubernetesClient keeps the request of an API error' {
        Get-KPod | Out-Null # loads the engine, and KubernetesClient with it
        $client = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'KubernetesClient' } | Select-Object -First 1
        $token = [pscustomobject]@{ Kind = 'user scanner-test token'; Value = 'scanner-self-test-token-0123456789abcdef' }
        $request = [System.Net.Http.HttpRequestMessage]::new('GET', 'https://127.0.0.1/api/v1/namespaces/default/pods/x')
        $request.Headers.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $token.Value)
        $kept = [Activator]::CreateInstance($client.GetType('k8s.Autorest.HttpOperationException'), @("Operation returned an invalid status code 'Forbidden'"))
        $kept.Request = [Activator]::CreateInstance($client.GetType('k8s.Autorest.HttpRequestMessageWrapper'), @($request, $null))
        $leaky = [Management.Automation.ErrorRecord]::new([PodManager.PodManagerException]::new([PodManager.ErrorIds]::Forbidden, 'Reading pod default/x failed.', $kept), 'Leaky', 'PermissionDenied', $null)
        $clean = [Management.Automation.ErrorRecord]::new([PodManager.PodManagerException]::new([PodManager.ErrorIds]::Forbidden, 'Reading pod default/x failed.', $null), 'Clean', 'PermissionDenied', $null)

        $hits = @(Find-SecretInErrorRecord -ErrorRecord $leaky, $clean -Secret $token)

        $hits | Should -HaveCount 1
        $hits[0].ErrorId | Should -Be 'Leaky'
        $hits[0].Secret | Should -Be 'user scanner-test token'
    }

    It 'finds a token in a record that ConvertTo-Json cannot write whole' {
        $token = [pscustomobject]@{ Kind = 'user scanner-test token'; Value = 'scanner-self-test-token-fedcba9876543210' }
        $inner = [Exception]::new('inner')
        $inner.Data[1] = "Bearer $($token.Value)" # a key that is not a string: ConvertTo-Json refuses the whole record
        $record = [Management.Automation.ErrorRecord]::new([Exception]::new('outer', $inner), 'Unwritable', 'NotSpecified', $null)
        { ConvertTo-Json -InputObject $record -Depth 5 -WarningAction SilentlyContinue } | Should -Throw

        $hits = @(Find-SecretInErrorRecord -ErrorRecord $record -Secret $token)

        $hits | Should -HaveCount 1
        $hits[0].ErrorId | Should -Be 'Unwritable'
    }
}

Describe 'Error records of API errors' {
    AfterEach {
        Clear-TestClusterFault
    }

    It 'carry no credential at any depth (403, 422, 401)' {
        New-KPod -Context testcluster-readonly -Image alpine -Command true -ErrorVariable forbidden -ErrorAction SilentlyContinue | Out-Null
        New-KPod -Image alpine -Command true -Label @{ 'bad key!' = 'x' } -ErrorVariable invalid -ErrorAction SilentlyContinue | Out-Null
        Add-TestClusterFault -Status 401 -Method GET -Path '/api/v1/namespaces/default/pods' -Count 1
        $unauthorized = { Get-KPod -Name anything } | Should -Throw -PassThru

        $failed = @($forbidden) + @($invalid) + @($unauthorized)
        $failed.FullyQualifiedErrorId -replace ',.*' | Should -Be 'Forbidden', 'InvalidPodSpec', 'Unauthorized'
        Find-SecretInErrorRecord -ErrorRecord $failed -Secret $secrets | Should -BeNullOrEmpty
    }

    It 'of Connect-KCluster -KubeConfigContent do not carry the kubeconfig given' {
        $content = Get-Content -Raw $env:KUBECONFIG
        $err = { Connect-KCluster -KubeConfigContent $content -Context nowhere } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ContextNotFound,*'
        Find-SecretInErrorRecord -ErrorRecord $err -Secret $secrets | Should -BeNullOrEmpty
    }
}
