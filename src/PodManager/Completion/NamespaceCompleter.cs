using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PodManager.Engine;

namespace PodManager.Commands.Completion;

/// <summary>Completes -Namespace from the cluster the other parameters point at.</summary>
public sealed class NamespaceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var settings = Connection.From(fakeBoundParameters);
        var names = CompletionCache.Get($"ns|{settings.KubeConfigPath}|{settings.Context}", async token =>
            await PodManagerRegistry.Get(settings).ListNamespacesAsync(token).ConfigureAwait(false));
        return CompletionResults.Matching(names, wordToComplete).ToList();
    }
}
