@{
    RootModule           = 'PodManager.dll'
    # A placeholder: build.ps1 stamps the staged manifest with <Version> of Directory.Build.props, the one version source.
    ModuleVersion        = '0.0.0'
    GUID                 = '50bfd0ca-1f5d-42a1-b2d3-096cfe496386'
    Author               = 'PodManager contributors'
    CompanyName          = 'PodManager contributors'
    Copyright            = '(c) PodManager contributors. Licensed under the Apache License, Version 2.0.'
    Description          = 'Launch, watch and clean up Kubernetes pods from PowerShell: typed cmdlets that pipe into one another over one event-driven engine, as Apache Airflow''s PodManager does for the KubernetesPodOperator.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    RequiredAssemblies   = @('PodManager.Model.dll')
    FormatsToProcess     = @('PodManager.format.ps1xml')
    CmdletsToExport      = @(
        'Connect-KCluster'
        'Disconnect-KCluster'
        'Get-KPod'
        'New-KPod'
        'New-KPodManifest'
        'New-KPodVolume'
        'Wait-KPodStart'
        'Wait-KPodCompletion'
        'Get-KPodLog'
        'Get-KPodEvent'
        'Get-KPodXCom'
        'Remove-KPod'
        'Invoke-KPod'
        'Invoke-KPodCommand'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Kubernetes', 'Pod', 'Airflow', 'Automation', 'Linux', 'PSEdition_Core')
            # The repository has no public address yet: this placeholder is HelpLinks.ProjectUri in
            # src/PodManager/HelpLinks.cs (Get-Help -Online), and tests/Pester/Package.Tests.ps1 keeps the two equal.
            ProjectUri   = 'https://github.com/PodManager/PodManager'
            LicenseUri   = 'https://github.com/PodManager/PodManager/blob/main/LICENSE'
            ReleaseNotes = 'What changed in each version: CHANGELOG.md in the package and at https://github.com/PodManager/PodManager/blob/main/CHANGELOG.md'
        }
    }
}
