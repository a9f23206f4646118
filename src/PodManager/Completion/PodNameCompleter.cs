using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PodManager.Engine;

namespace PodManager.Commands.Completion;

/// <summary>Completes -Name with the pods of the namespace given (or the connection's default).</summary>
public sealed class PodNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var settings = Connection.From(fakeBoundParameters);
        var ns = CompletionResults.Bound(fakeBoundParameters, "Namespace");
        var names = CompletionCache.Get($"pods|{settings.KubeConfigPath}|{settings.Context}|{ns}", async token =>
        {
            var manager = PodManagerRegistry.Get(settings);
            var pods = await manager.ListPodsAsync(manager.ResolveNamespace(ns), null, null, token).ConfigureAwait(false);
            return pods.Select(p => p.Name).ToList();
        });
        return CompletionResults.Matching(names, wordToComplete).ToList();
    }
}
