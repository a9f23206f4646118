using System.Collections;
using System.Management.Automation;
using PodManager.Commands.Parameters;
using PodManager.Commands.Pipeline;
using PodManager.Engine.Pods;

namespace PodManager.Commands;

/// <summary>
/// A volume for -Volume of New-KPod, Invoke-KPod and New-KPodManifest: one source (a ConfigMap, a Secret, an emptyDir
/// or a PersistentVolumeClaim) and where the base container mounts it, checked now. Makes nothing on the cluster.
/// </summary>
[Cmdlet(VerbsCommon.New, "KPodVolume", DefaultParameterSetName = EmptyDirSet, HelpUri = HelpLinks.Base + "New-KPodVolume.md")]
[OutputType(typeof(KPodVolume))]
public sealed class NewKPodVolumeCmdlet : PSCmdlet
{
    private const string ConfigMapSet = "ConfigMap";
    private const string SecretSet = "Secret";
    private const string EmptyDirSet = "EmptyDir";
    private const string ClaimSet = "PersistentVolumeClaim";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? MountPath { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ConfigMapSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ConfigMap { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = SecretSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Secret { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = EmptyDirSet, ValueFromPipelineByPropertyName = true)]
    public SwitchParameter EmptyDir { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ClaimSet, ValueFromPipelineByPropertyName = true)]
    [Alias("ClaimName")]
    [ValidateNotNullOrEmpty]
    public string? PersistentVolumeClaim { get; set; }

    [Parameter(ParameterSetName = ConfigMapSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = SecretSet, ValueFromPipelineByPropertyName = true)]
    public Hashtable? Item { get; set; }

    [Parameter(ParameterSetName = ConfigMapSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = SecretSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? DefaultMode { get; set; }

    [Parameter(ParameterSetName = ConfigMapSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = SecretSet, ValueFromPipelineByPropertyName = true)]
    public SwitchParameter Optional { get; set; }

    [Parameter(ParameterSetName = EmptyDirSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? SizeLimit { get; set; }

    [Parameter(ParameterSetName = EmptyDirSet, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Memory")]
    public string? Medium { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter ReadOnly { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? SubPath { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var volume = new KPodVolume
            {
                Name = Name!,
                MountPath = MountPath!,
                ConfigMap = ConfigMap,
                Secret = Secret,
                EmptyDir = EmptyDir,
                PersistentVolumeClaim = PersistentVolumeClaim,
                Items = Hashtables.ToStrings(Item, nameof(Item)),
                DefaultMode = DefaultMode,
                Optional = Optional,
                SizeLimit = SizeLimit,
                Medium = Medium,
                ReadOnly = ReadOnly,
                SubPath = SubPath,
            };
            PodVolumes.Check(volume, $"New-KPodVolume '{Name}'");
            WriteObject(volume);
        }
        catch (PodManagerException error)
        {
            WriteError(ErrorRecords.From(error, Name));
        }
    }
}
