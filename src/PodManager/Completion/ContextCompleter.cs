using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PodManager.Engine.Connections;

namespace PodManager.Commands.Completion;

/// <summary>Completes -Context from the kubeconfig's contexts; reads the file only, never the network.</summary>
public sealed class ContextCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var contexts = KubeConfigContexts.List(CompletionResults.Bound(fakeBoundParameters, "KubeConfig"));
            return CompletionResults.Matching(contexts, wordToComplete).ToList();
        }
        catch (Exception)
        {
            return [];
        }
    }
}
