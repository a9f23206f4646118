using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace PodManager.Commands.Completion;

/// <summary>Completes -Name with the pods of the namespace given (or the connection's default).</summary>
public sealed class PodNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var ns = CompletionResults.Bound(fakeBoundParameters, "Namespace");
        var names = ClusterLookup.Get(fakeBoundParameters, $"pods|{ns}", async (manager, token) =>
        {
            var pods = await manager.ListPodsAsync(manager.ResolveNamespace(ns), null, null, token).ConfigureAwait(false);
            return pods.Select(p => p.Name).ToList();
        });
        return CompletionResults.Matching(names, wordToComplete).ToList();
    }
}
