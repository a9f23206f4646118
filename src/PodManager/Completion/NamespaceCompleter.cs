using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PodManager.Commands.Completion;

/// <summary>Completes -Namespace from the cluster the other parameters point at.</summary>
public sealed class NamespaceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var names = ClusterLookup.Get(fakeBoundParameters, "ns", (manager, token) => manager.ListNamespacesAsync(token));
        return CompletionResults.Matching(names, wordToComplete).ToList();
    }
}
