# From the demo to a session of one's own, as a newcomer takes it: the demo names the next step, build.ps1 -Task Cluster
# starts a cluster in the foreground and prints the line to paste, the README's "Try it yourself" runs as written
# against it, and Ctrl+C stops it with nothing left running.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
    $script:root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $readme = Get-Content -Raw (Join-Path $script:root 'README.md')
    $script:section = [regex]::Match($readme, '(?s)\n## Try it yourself\n(.*?)(?=\n## )').Groups[1].Value
    $script:shell = @([regex]::Matches($script:section, '(?s)```sh\r?\n(.*?)```') | ForEach-Object { $_.Groups[1].Value.Trim() })
    $script:powershell = @([regex]::Matches($script:section, '(?s)```powershell\r?\n(.*?)```') | ForEach-Object { $_.Groups[1].Value })
}

Describe 'The demo' {
    It 'ends with the next step: the command that starts a cluster of ones own, and the Quick start' {
        $demo = Join-Path $script:root 'docs/examples/Demo.ps1'
        $output = @(Invoke-FreshPwsh "& '$demo' -ModulePath '$env:PODMANAGER_TEST_MODULE'")
        $last = ($output | Select-Object -Last 3) -join "`n"
        $last | Should -Match ([regex]::Escape('dotnet pwsh ./build.ps1 -Task Cluster -NoBuild'))
        $last | Should -Match 'Quick start'
        $script:section | Should -Match ([regex]::Escape('-NoBuild')) -Because 'the README explains the switch the demo names'
    }
}

Describe 'README, Try it yourself' {
    It 'starts the cluster, then imports the module, then runs the Quick start, in that order' {
        $script:shell | Should -HaveCount 1
        $script:shell[0] | Should -BeExactly 'dotnet tool restore && dotnet pwsh ./build.ps1 -Task Cluster'
        $script:powershell | Should -HaveCount 1
        $code = $script:powershell[0]
        $code.IndexOf('$env:KUBECONFIG') | Should -BeLessThan $code.IndexOf('Import-Module ./out/PodManager')
        $code.IndexOf('Import-Module ./out/PodManager') | Should -BeLessThan $code.IndexOf('New-KPod')
    }

    It 'runs as written against the cluster of build.ps1 -Task Cluster, which prints the line to paste and stops cleanly on Ctrl+C' {
        # The command of the README, less its build: the suite must not rebuild the module it has loaded. setsid gives it
        # a process group of its own, as a terminal's foreground job has, and env --default-signal makes SIGINT reach it
        # even where this test inherited SIGINT as ignored.
        $command = ($script:shell[0] -split '&&')[-1].Trim()
        $command | Should -BeExactly 'dotnet pwsh ./build.ps1 -Task Cluster'
        $info = [System.Diagnostics.ProcessStartInfo]::new('setsid')
        foreach ($argument in 'env', '--default-signal=INT', 'dotnet', (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-File', './build.ps1', '-Task', 'Cluster', '-NoBuild') {
            $info.ArgumentList.Add($argument)
        }
        $info.WorkingDirectory = $script:root
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($info)
        $errors = $process.StandardError.ReadToEndAsync()
        $printed = [System.Collections.Generic.List[string]]::new()
        try {
            $pasteLine = $null
            while (-not $pasteLine) {
                $next = $process.StandardOutput.ReadLineAsync()
                if (-not $next.Wait([TimeSpan]::FromSeconds(120)) -or $null -eq $next.Result) {
                    throw "build.ps1 -Task Cluster printed no `$env:KUBECONFIG line: $($printed -join "`n") $($errors.Result)"
                }
                $printed.Add($next.Result)
                if ($next.Result -match "^\s*(\`$env:KUBECONFIG = '(.+)')\s*$") { $pasteLine = $Matches[1]; $kubeconfig = $Matches[2] }
            }
            $kubeconfig | Should -Be (Join-Path $script:root 'out/cluster/kubeconfig')
            Assert-LoopbackKubeConfig -Path $kubeconfig

            # The block as written, from this folder, as a second terminal would run it; its first line is the one printed.
            $code = $script:powershell[0]
            $output = @(Invoke-FreshPwsh "`$ErrorActionPreference = 'Stop'`nSet-Location '$($script:root)'`n$code") -join "`n"
            foreach ($promised in [regex]::Matches($code, '#\s*->\s*(.+?)\s*$', 'Multiline')) {
                $output | Should -BeLike "*$([WildcardPattern]::Escape($promised.Groups[1].Value))*"
            }
            Invoke-FreshPwsh "Set-Location '$($script:root)'`n$(($code -split "`n")[0])`n`$env:KUBECONFIG" | Should -Be $kubeconfig -Because 'the README line points where the printed line does'
        }
        finally {
            # Ctrl+C in a terminal: SIGINT to the whole foreground process group.
            $group = (& ps -o pgid= -p $process.Id | Out-String).Trim()
            if ($group) { & kill -INT -- "-$group" }
            $stopped = $process.WaitForExit(60000)
            if (-not $stopped) { $process.Kill($true) }
        }

        $stopped | Should -BeTrue -Because 'Ctrl+C stops build.ps1 -Task Cluster'
        $process.ExitCode | Should -Be 0
        $rest = $process.StandardOutput.ReadToEnd()
        $rest | Should -Match 'Test cluster stopped\.'
        $kubeconfig | Should -Not -Exist -Because 'a stopped cluster leaves no kubeconfig that points nowhere'
        & pgrep -f -- $kubeconfig | Should -BeNullOrEmpty -Because 'the test cluster process has ended'
    }
}
