using System.Collections;
using System.Management.Automation;
using PodManager.Engine.Pods;

namespace PodManager.Commands;

/// <summary>Creates a pod whose <c>base</c> container runs an image, and outputs it as a <see cref="KPod"/>.</summary>
[Cmdlet(VerbsCommon.New, "KPod", SupportsShouldProcess = true, DefaultParameterSetName = ImageSet)]
[OutputType(typeof(KPod))]
public sealed class NewKPodCommand : PodManagerCmdlet
{
    private const string ImageSet = "Image";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ImageSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Image { get; set; }

    [Parameter(ParameterSetName = ImageSet, ValueFromPipelineByPropertyName = true)]
    public string[]? Command { get; set; }

    [Parameter(ParameterSetName = ImageSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Arguments", "Args")]
    public string[]? Argument { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    [Parameter(ParameterSetName = ImageSet, ValueFromPipelineByPropertyName = true)]
    public Hashtable? Env { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Hashtable? Label { get; set; }

    protected override void ProcessRecord()
    {
        PodTemplate template;
        try
        {
            template = BuildTemplate();
        }
        catch (PodManagerException error)
        {
            Report(error, Name ?? Image);
            return;
        }

        var description = $"pod {Name ?? "(generated name)"} running image '{Image}'";
        if (!ShouldProcess(description, "Create"))
        {
            return;
        }

        Run(Name ?? Image, async token =>
        {
            var manager = DefaultManager();
            Emit(await manager.CreatePodAsync(template, token).ConfigureAwait(false));
        });
    }

    private PodTemplate BuildTemplate() =>
        new()
        {
            Image = Image!,
            Name = Name,
            Namespace = Namespace,
            Command = Command,
            Arguments = Argument,
            Environment = Hashtables.ToStrings(Env, nameof(Env)),
            Labels = Hashtables.ToStrings(Label, nameof(Label)),
        };
}
