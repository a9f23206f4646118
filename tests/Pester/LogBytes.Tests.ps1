# Get-KPodLog -OutFile writes the bytes kubectl logs writes: CR and CRLF kept, NUL, bytes that are not UTF-8, ANSI
# escapes, a 2 MB line and a last line without a newline, all compared byte for byte with `kubectl logs > file`.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'PodManager.TestHelpers.psm1') -Force
    Initialize-PodManagerTest
}

Describe 'Log bytes' {
    It 'Get-KPodLog -OutFile gives the bytes of kubectl logs' {
        $script = @'
printf 'crlf\r\nbare cr\rafter\nnul\000byte\ninvalid \377\376 utf8\n\033[31mred\033[0m\n'
head -c 2097152 /dev/zero | tr '\000' 'x'
printf '\nno newline at the end'
'@
        $pod = New-KPod -Image alpine -Command sh -Argument '-c', $script | Wait-KPodCompletion
        try {
            $ours = Join-Path $TestDrive 'ours.log'
            $theirs = Join-Path $TestDrive 'kubectl.log'
            $pod | Get-KPodLog -OutFile $ours
            & bash -c 'kubectl --kubeconfig "$1" logs "$2" > "$3"' bash $env:KUBECONFIG $pod.Name $theirs
            $LASTEXITCODE | Should -Be 0
            $expected = [IO.File]::ReadAllBytes($theirs)
            $actual = [IO.File]::ReadAllBytes($ours)
            $expected.Length | Should -BeGreaterThan 2097152
            [Linq.Enumerable]::SequenceEqual($actual, $expected) | Should -BeTrue -Because "-OutFile ($($actual.Length) bytes) must equal kubectl logs ($($expected.Length) bytes)"
            # As objects, a CRLF line ends as a LF line does. (Not read with -Tail: the runtime may store the 2 MB line as
            # several partial entries, as CRI runtimes do, and a tail counts entries.)
            ($pod | Get-KPodLog -Raw | Select-Object -First 1) | Should -Be 'crlf'
        }
        finally {
            $pod | Remove-KPod
        }
    }
}
