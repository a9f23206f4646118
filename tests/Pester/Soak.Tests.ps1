# The soak's short version (build.ps1 -Task Soak runs the long one): two rounds of pods under random, seeded faults.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'TestCluster.psm1') -Force
    Initialize-PodManagerTest
}

AfterAll {
    Clear-TestClusterFault
}

Describe 'Soak (short)' {
    It 'delivers every line of every pod once, in order, with every result right and nothing left' {
        $soak = & (Join-Path $PSScriptRoot '../Soak/Invoke-Soak.ps1') -ModulePath $env:PODMANAGER_TEST_MODULE -Rounds 2 -Pods 6 -Lines 150
        $soak.Problems | Should -BeNullOrEmpty -Because "the soak with seed $($soak.Seed) must find nothing wrong"
        $soak.Pods | Should -Be 12
    }
}
