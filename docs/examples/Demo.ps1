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
