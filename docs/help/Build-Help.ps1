<#
.SYNOPSIS
    Builds the module's MAML help (en-US/PodManager.dll-Help.xml) from docs/help/*.md.
.DESCRIPTION
    platyPS is not available to the project, so this reads our own small markdown layout (one file per
    cmdlet: SYNOPSIS, DESCRIPTION, PARAMETERS with one "### -Name" per parameter, EXAMPLES with one
    "### Title", a powershell code block and remarks each, NOTES, RELATED LINKS) and takes syntax,
    types and pipeline input from the compiled cmdlets themselves, so help can never drift from code.
    Runs in a fresh pwsh that has imported the staged module.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SourcePath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$module = Import-Module $ModulePath -PassThru
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

function Get-TypeName([type] $Type) {
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { $Type = $underlying }
    $Type.Name
}

function Read-HelpSource([string] $Path) {
    $sections = [ordered]@{}
    $current = $null
    foreach ($line in Get-Content $Path) {
        if ($line -match '^## (.+)$') { $current = $Matches[1].Trim(); $sections[$current] = [System.Collections.Generic.List[string]]::new(); continue }
        if ($current) { $sections[$current].Add($line) }
    }
    $sections
}

function Split-Subsections([System.Collections.Generic.List[string]] $Lines) {
    $result = [ordered]@{}
    $current = $null
    foreach ($line in $Lines) {
        if ($line -match '^### (.+)$') { $current = $Matches[1].Trim(); $result[$current] = [System.Collections.Generic.List[string]]::new(); continue }
        if ($current) { $result[$current].Add($line) }
    }
    $result
}

function Get-Paragraphs([string[]] $Lines) {
    (($Lines -join "`n").Trim() -split "\n\s*\n") | Where-Object { $_.Trim() } | ForEach-Object { ($_ -split "\n" | ForEach-Object { $_.Trim() }) -join ' ' }
}

function Add-Paragraphs($Writer, [string[]] $Lines) {
    $Writer.WriteStartElement('maml', 'description', $ns.maml)
    foreach ($paragraph in Get-Paragraphs $Lines) { $Writer.WriteElementString('maml', 'para', $ns.maml, $paragraph) }
    $Writer.WriteEndElement()
}

function Add-InputType($Writer, [string] $TypeName, [string] $Description) {
    $Writer.WriteStartElement('command', 'inputType', $ns.command)
    $Writer.WriteStartElement('dev', 'type', $ns.dev)
    $Writer.WriteElementString('maml', 'name', $ns.maml, $TypeName)
    $Writer.WriteEndElement()
    $Writer.WriteStartElement('maml', 'description', $ns.maml)
    $Writer.WriteElementString('maml', 'para', $ns.maml, $Description)
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()
}

$ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

$out = Join-Path $ModulePath 'en-US'
New-Item -ItemType Directory -Path $out -Force | Out-Null
$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
$writer = [System.Xml.XmlWriter]::Create((Join-Path $out 'PodManager.dll-Help.xml'), $settings)
$writer.WriteStartElement('helpItems')
$writer.WriteAttributeString('schema', 'maml')
$writer.WriteAttributeString('xmlns', 'maml', $null, $ns.maml)
$writer.WriteAttributeString('xmlns', 'command', $null, $ns.command)
$writer.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)

foreach ($command in Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name) {
    $source = Join-Path $SourcePath "$($command.Name).md"
    if (-not (Test-Path $source)) {
        # The help test (tests/Pester/Help.Tests.ps1) fails on this; the build still stages the module.
        Write-Warning "No help source for $($command.Name): create $source."
        continue
    }
    $help = Read-HelpSource $source
    foreach ($required in 'SYNOPSIS', 'DESCRIPTION', 'PARAMETERS', 'EXAMPLES') {
        if (-not $help.Contains($required)) { throw "$source has no '## $required' section." }
    }
    $parameterHelp = Split-Subsections $help['PARAMETERS']
    $parameters = $command.Parameters.Values | Where-Object { $_.Name -notin $common } | Sort-Object Name
    foreach ($parameter in $parameters) {
        if (-not $parameterHelp.Contains("-$($parameter.Name)")) { throw "$source does not describe -$($parameter.Name)." }
    }

    $writer.WriteStartElement('command', 'command', $ns.command)
    $writer.WriteStartElement('command', 'details', $ns.command)
    $writer.WriteElementString('command', 'name', $ns.command, $command.Name)
    $writer.WriteElementString('command', 'verb', $ns.command, $command.Verb)
    $writer.WriteElementString('command', 'noun', $ns.command, $command.Noun)
    Add-Paragraphs $writer $help['SYNOPSIS']
    $writer.WriteEndElement()
    Add-Paragraphs $writer $help['DESCRIPTION']

    $writer.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in $command.ParameterSets) {
        $writer.WriteStartElement('command', 'syntaxItem', $ns.command)
        $writer.WriteElementString('maml', 'name', $ns.maml, $command.Name)
        foreach ($p in $set.Parameters | Where-Object { $_.Name -notin [System.Management.Automation.Cmdlet]::CommonParameters }) {
            $writer.WriteStartElement('command', 'parameter', $ns.command)
            $writer.WriteAttributeString('required', "$($p.IsMandatory)".ToLowerInvariant())
            $writer.WriteAttributeString('position', $(if ($p.Position -ge 0) { "$($p.Position)" } else { 'named' }))
            $writer.WriteElementString('maml', 'name', $ns.maml, $p.Name)
            if ($p.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
                $writer.WriteStartElement('command', 'parameterValue', $ns.command)
                $writer.WriteAttributeString('required', 'true')
                $writer.WriteString((Get-TypeName $p.ParameterType))
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($parameter in $parameters) {
        $attributes = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
        $byValue = [bool]($attributes | Where-Object ValueFromPipeline)
        $byName = [bool]($attributes | Where-Object ValueFromPipelineByPropertyName)
        $pipeline = if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
        $positioned = @($attributes | Where-Object { $_.Position -ge 0 })
        $position = if ($positioned.Count) { $positioned[0].Position } else { $null }
        $writer.WriteStartElement('command', 'parameter', $ns.command)
        $writer.WriteAttributeString('required', "$([bool]($attributes | Where-Object Mandatory))".ToLowerInvariant())
        $writer.WriteAttributeString('pipelineInput', $pipeline)
        $writer.WriteAttributeString('position', $(if ($null -ne $position) { "$position" } else { 'named' }))
        $writer.WriteAttributeString('aliases', $(if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { 'none' }))
        $writer.WriteAttributeString('globbing', "$([bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }))".ToLowerInvariant())
        $writer.WriteElementString('maml', 'name', $ns.maml, $parameter.Name)
        Add-Paragraphs $writer $parameterHelp["-$($parameter.Name)"]
        $writer.WriteStartElement('command', 'parameterValue', $ns.command)
        $writer.WriteAttributeString('required', 'true')
        $writer.WriteString((Get-TypeName $parameter.ParameterType))
        $writer.WriteEndElement()
        $writer.WriteStartElement('dev', 'type', $ns.dev)
        $writer.WriteElementString('maml', 'name', $ns.maml, $parameter.ParameterType.FullName)
        $writer.WriteEndElement()
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    # INPUTS: what binds from the pipeline, by value (one entry per type) and by property name (one entry).
    $writer.WriteStartElement('command', 'inputTypes', $ns.command)
    $pipelineAttributes = { param($p) @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }) }
    foreach ($group in $parameters | Where-Object { (& $pipelineAttributes $_) | Where-Object ValueFromPipeline } | Group-Object { $_.ParameterType.FullName }) {
        Add-InputType $writer $group.Name "Bound to -$(($group.Group.Name) -join ', -') by value."
    }
    $byName = @($parameters | Where-Object { (& $pipelineAttributes $_) | Where-Object ValueFromPipelineByPropertyName } | ForEach-Object Name)
    if ($byName.Count) {
        Add-InputType $writer 'System.Management.Automation.PSObject' "Objects whose properties bind by name: $($byName -join ', ')."
    }
    if (-not ($parameters | Where-Object { (& $pipelineAttributes $_) | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName } })) {
        Add-InputType $writer 'None' "You cannot pipe objects to $($command.Name)."
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'returnValues', $ns.command)
    foreach ($type in $command.OutputType) {
        $writer.WriteStartElement('command', 'returnValue', $ns.command)
        $writer.WriteStartElement('dev', 'type', $ns.dev)
        $writer.WriteElementString('maml', 'name', $ns.maml, $(if ($type.Type -eq [void]) { 'None' } else { $type.Name }))
        $writer.WriteEndElement()
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    if ($help.Contains('NOTES')) {
        $writer.WriteStartElement('maml', 'alertSet', $ns.maml)
        $writer.WriteStartElement('maml', 'alert', $ns.maml)
        foreach ($paragraph in Get-Paragraphs $help['NOTES']) { $writer.WriteElementString('maml', 'para', $ns.maml, $paragraph) }
        $writer.WriteEndElement()
        $writer.WriteEndElement()
    }

    $writer.WriteStartElement('command', 'examples', $ns.command)
    $examples = Split-Subsections $help['EXAMPLES']
    foreach ($title in $examples.Keys) {
        $text = $examples[$title] -join "`n"
        if ($text -notmatch '(?s)```powershell\n(.*?)```(.*)$') { throw "$source example '$title' has no powershell code block." }
        $writer.WriteStartElement('command', 'example', $ns.command)
        $writer.WriteElementString('maml', 'title', $ns.maml, "--------- $title ---------")
        $writer.WriteElementString('dev', 'code', $ns.dev, $Matches[1].TrimEnd())
        $writer.WriteStartElement('dev', 'remarks', $ns.dev)
        foreach ($paragraph in Get-Paragraphs ($Matches[2] -split "`n")) { $writer.WriteElementString('maml', 'para', $ns.maml, $paragraph) }
        # An empty last paragraph keeps a blank line between one example's remarks and the next title.
        $writer.WriteElementString('maml', 'para', $ns.maml, '')
        $writer.WriteEndElement()
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'relatedLinks', $ns.command)
    foreach ($link in @(if ($help.Contains('RELATED LINKS')) { $help['RELATED LINKS'] | Where-Object { $_.Trim() } })) {
        $writer.WriteStartElement('maml', 'navigationLink', $ns.maml)
        $writer.WriteElementString('maml', 'linkText', $ns.maml, ($link.Trim() -replace '^[-*]\s*', ''))
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteEndElement()
}

$writer.WriteEndElement()
$writer.Dispose()
$about = Join-Path $SourcePath 'about_PodManager.help.txt'
if (Test-Path $about) { Copy-Item $about $out } else { Write-Warning "No $about." }
Write-Host "Help written to $out"
