using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PodManager.Commands.Completion;

/// <summary>Completes -Container with the containers of the pod named by -Name (or piped, when PowerShell knows it).</summary>
public sealed class ContainerCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var pod = CompletionResults.Bound(fakeBoundParameters, "Name");
        if (pod is null)
        {
            return [];
        }

        var ns = CompletionResults.Bound(fakeBoundParameters, "Namespace");
        var names = ClusterLookup.Get(fakeBoundParameters, $"containers|{ns}|{pod}", (manager, token) =>
            manager.GetContainerNamesAsync(manager.ResolveNamespace(ns), pod, token, includeXComSidecar: true));
        return CompletionResults.Matching(names, wordToComplete).ToList();
    }
}
