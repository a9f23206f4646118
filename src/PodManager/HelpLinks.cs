namespace PodManager.Commands;

/// <summary>
/// Where each cmdlet's help lives online (Get-Help -Online, through the cmdlets' HelpUri): its page docs/help/&lt;Cmdlet&gt;.md
/// in the repository. The repository has no public address yet: <see cref="ProjectUri"/> is the one placeholder for it,
/// and PodManager.psd1's ProjectUri and LicenseUri must say the same (tests/Pester/Package.Tests.ps1 checks that).
/// </summary>
internal static class HelpLinks
{
    public const string ProjectUri = "https://github.com/PodManager/PodManager";

    /// <summary>The folder of the cmdlet pages; a cmdlet's HelpUri is this plus its name and ".md".</summary>
    public const string Base = ProjectUri + "/blob/main/docs/help/";
}
