# Looks for the kubeconfig's credentials in error records as a log shipper would see them: each record
# through ConvertTo-Json, which walks every property (the exception, its inner exceptions, the invocation's
# bound parameters, the target object) to the given depth.

function Get-KubeConfigSecret {
    <# The kubeconfig's credentials and certificate data (tokens, the token a tokenFile holds now, passwords, client keys and certificates, CA data), as text to look for. #>
    param([Parameter(Mandatory)] [string] $Path)
    $config = & kubectl --kubeconfig $Path config view --raw -o json | ConvertFrom-Json
    if ($LASTEXITCODE -ne 0) { throw "kubectl could not read the kubeconfig '$Path'." }
    $found = [Collections.Generic.List[pscustomobject]]::new()
    $add = {
        param([string] $Kind, [string] $Value)
        # Short values would match by chance; no real credential is that short.
        if ($Value.Length -lt 16) { return }
        $found.Add([pscustomobject]@{ Kind = $Kind; Value = $Value })
        if ($Kind -like '*-data') {
            # Base64 of PEM: an object could hold the decoded text, so one line of its body is looked for too.
            $pem = [Text.Encoding]::ASCII.GetString([Convert]::FromBase64String($Value))
            $body = @($pem -split "`n" | Where-Object { $_ -match '^[A-Za-z0-9+/=]{40,}$' })
            if ($body.Count -gt 0) { $found.Add([pscustomobject]@{ Kind = "$Kind (decoded)"; Value = $body[0] }) }
        }
    }
    foreach ($user in @($config.users)) {
        $credentials = $user.user
        if ($null -eq $credentials) { continue }
        foreach ($name in 'token', 'password', 'client-key-data', 'client-certificate-data') {
            if ($credentials.$name) { & $add "user $($user.name) $name" $credentials.$name }
        }
        if ($credentials.tokenFile -and (Test-Path -LiteralPath $credentials.tokenFile)) {
            & $add "user $($user.name) token" (Get-Content -Raw -LiteralPath $credentials.tokenFile).Trim()
        }
        if ($credentials.'auth-provider'.config) {
            foreach ($entry in $credentials.'auth-provider'.config.PSObject.Properties | Where-Object Name -Match 'token|secret') {
                & $add "user $($user.name) auth-provider $($entry.Name)" $entry.Value
            }
        }
    }
    foreach ($cluster in @($config.clusters)) {
        if ($cluster.cluster.'certificate-authority-data') { & $add "cluster $($cluster.name) certificate-authority-data" $cluster.cluster.'certificate-authority-data' }
    }
    $found.ToArray()
}

function ConvertTo-ScanText {
    <#
        The record as ConvertTo-Json writes it. ConvertTo-Json cannot write some objects at all (an exception whose
        Data has keys that are not strings); then each property is written on its own, one level down, and each
        entry of a dictionary under its key as text, so nothing it holds escapes the scan.
    #>
    param($Value, [int] $Depth)
    try {
        ConvertTo-Json -InputObject $Value -Depth $Depth -WarningAction SilentlyContinue
    }
    catch {
        if ($Depth -le 0 -or $null -eq $Value) { return "$Value" }
        foreach ($property in $Value.PSObject.Properties) {
            $item = try { $property.Value } catch { $null }
            if ($item -is [Collections.IDictionary]) {
                foreach ($key in @($item.Keys)) { "$key"; ConvertTo-ScanText -Value $item[$key] -Depth ($Depth - 2) }
            }
            else {
                ConvertTo-ScanText -Value $item -Depth ($Depth - 1)
            }
        }
    }
}

function Find-SecretInErrorRecord {
    <# Each secret found in a record's ConvertTo-Json text: the record's error id and the kind of secret, never the secret itself. #>
    param(
        [Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $ErrorRecord,
        [Parameter(Mandatory)] [object[]] $Secret,
        [ValidateRange(5, 100)] [int] $Depth = 5
    )
    foreach ($record in $ErrorRecord) {
        $json = @(ConvertTo-ScanText -Value $record -Depth $Depth) -join "`n"
        foreach ($candidate in $Secret) {
            if ($json.Contains($candidate.Value, [StringComparison]::Ordinal)) {
                $id = if ($record -is [Management.Automation.ErrorRecord]) { $record.FullyQualifiedErrorId } else { $record.GetType().FullName }
                [pscustomobject]@{ ErrorId = $id; Secret = $candidate.Kind }
            }
        }
    }
}

Export-ModuleMember -Function Get-KubeConfigSecret, Find-SecretInErrorRecord
