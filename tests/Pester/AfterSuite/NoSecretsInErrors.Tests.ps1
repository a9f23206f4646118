# Run by Invoke-PesterSuite.ps1 after the suite, on every error record the suite left in $Error: what a log
# shipper would write out (`$_ | ConvertTo-Json`) must never hold the kubeconfig's credentials.
param(
    [Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $ErrorRecord,
    [Parameter(Mandatory)] [string] $KubeConfig
)

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../SecretScan.psm1') -Force
}

Describe 'Every error record of the suite' {
    It 'carries none of the kubeconfig''s tokens, keys or certificate data, at ConvertTo-Json depth 5' {
        $secrets = Get-KubeConfigSecret -Path $KubeConfig
        $ErrorRecord.Count | Should -BeGreaterThan 0 -Because 'the suite provokes errors on purpose, so an empty list means they were not collected'
        $hits = Find-SecretInErrorRecord -ErrorRecord $ErrorRecord -Secret $secrets | ForEach-Object { "$($_.ErrorId) holds the $($_.Secret)" }
        $hits | Should -BeNullOrEmpty
    }
}
