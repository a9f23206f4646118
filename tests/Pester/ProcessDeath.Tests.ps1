# SIGTERM (timeout, CI cancellation, systemd, docker stop) to a pwsh running Invoke-KPod cleans up as Ctrl+C does: every
# pod it made is deleted, and pwsh ends with 143. SIGKILL cannot be caught (docs/reliability.md).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
}

Describe 'Process death' {
    It 'SIGTERM to a pwsh running Invoke-KPod on 20 pods deletes all 20 and exits 143' {
        $run = New-TestName 'sigterm'
        $script = Join-Path $TestDrive 'run20.ps1'
        Set-Content -Path $script -Value @"
Import-Module '$env:PODMANAGER_TEST_MODULE'
1..20 | ForEach-Object { [pscustomobject]@{ Image = 'alpine'; Name = "$run-`$_"; Command = 'sleep'; Argument = @('300'); Label = @{ run = '$run' } } } |
    Invoke-KPod -ThrottleLimit 20 | ForEach-Object { "RESULT `$(`$_.Name)" }
'finished normally'
"@
        $info = [Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($argument in (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', $script) { $info.ArgumentList.Add($argument) }
        $info.RedirectStandardOutput = $true
        $info.UseShellExecute = $false
        $process = [Diagnostics.Process]::Start($info)
        try {
            $output = $process.StandardOutput.ReadToEndAsync()
            # The state to wait on: all 20 pods running (polled, with a deadline, as Wait-TestClusterAvailable does).
            $deadline = [DateTime]::UtcNow.AddMinutes(3)
            while (@(Get-KPod -Selector "run=$run" | Where-Object Phase -eq 'Running').Count -lt 20) {
                if ($process.HasExited) { throw "The 20 pods of $run did not all run: $($output.Result)" }
                # The output is read only once the process has ended, so that a timeout cannot hang on it.
                if ([DateTime]::UtcNow -gt $deadline) { throw "The 20 pods of $run did not all run within 3 minutes." }
                Start-Sleep -Milliseconds 200
            }

            & kill -s TERM $process.Id
            $process.WaitForExit(60000) | Should -BeTrue -Because 'pwsh ends within the grace'
            $process.ExitCode | Should -Be 143
            $output.Result | Should -Not -Match 'finished normally'
            $pods = @((Invoke-Kubectl get pods -l "run=$run" -o json | ConvertFrom-Json).items)
            @($pods | Where-Object { -not $_.metadata.deletionTimestamp }) | Should -BeNullOrEmpty -Because 'every pod is being deleted'
        }
        finally {
            if (-not $process.HasExited) { $process.Kill($true) }
            Get-KPod -Selector "run=$run" | Remove-KPod -GracePeriod 0
        }
    }
}
