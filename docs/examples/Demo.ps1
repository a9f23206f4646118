<#
.SYNOPSIS
    The demo build.ps1 -Task Demo runs: one pod through the whole pipeline, against the cluster in KUBECONFIG.
#>
param([Parameter(Mandatory)] [string] $ModulePath)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

function Show([string] $Command) { Write-Host "`n> $Command" -ForegroundColor Cyan }

Show '$pod = New-KPod -Image alpine -Command sh -Argument ''-c'', ''echo hello from a pod; echo the answer is 42'' | Wait-KPodCompletion'
$pod = New-KPod -Image alpine -Command sh -Argument '-c', 'echo hello from a pod; echo the answer is 42' | Wait-KPodCompletion
$pod | Format-Table | Out-Host

Show '$pod | Get-KPodLog'
$pod | Get-KPodLog | Out-Host

Write-Host "Result: phase $($pod.Phase), exit code $($pod.ExitCode)"

Show '$pod | Remove-KPod -Wait'
$pod | Remove-KPod -Wait
Write-Host 'Removed.'

# The next step, as the README's "Try it yourself" gives it (tests/Pester/TryItYourself.Tests.ps1 checks both).
Write-Host "`nNext, try it yourself. The demo stops its cluster when it ends; start one that stays until Ctrl+C with:" -ForegroundColor Cyan
Write-Host '    dotnet pwsh ./build.ps1 -Task Cluster -NoBuild'
Write-Host "It prints the `$env:KUBECONFIG line to paste into a second pwsh; then follow the README's Try it yourself, to its Quick start."
