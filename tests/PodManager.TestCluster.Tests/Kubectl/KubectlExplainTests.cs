using System.Text.RegularExpressions;
using PodManager.TestCluster.ApiServer.Types;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.Kubectl;

/// <summary><c>kubectl explain</c> and client-visible validation, both read from the OpenAPI v3 document's schemas.</summary>
public sealed partial class KubectlExplainTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly Infrastructure.Kubectl kubectl = new(cluster.Server.KubeConfigPath);

    public void Dispose() => kubectl.Dispose();

    [Fact]
    public async Task ExplainShowsAFieldsTypeEnumValuesAndDescription()
    {
        var restartPolicy = await kubectl.OutputAsync("explain", "pod.spec.restartPolicy");
        var ports = await kubectl.OutputAsync("explain", "pod.spec.containers.ports");
        var image = await kubectl.OutputAsync("explain", "pods.spec.containers.image");

        Assert.StartsWith("KIND:       Pod\nVERSION:    v1\n\nFIELD: restartPolicy <string>\nENUM:\n    Always\n    Never\n    OnFailure\n\nDESCRIPTION:\n    Restart policy for all containers within the pod.", restartPolicy);
        Assert.Contains("FIELD: ports <[]ContainerPort>", ports);
        Assert.Matches(@"containerPort\s+<integer> -required-", ports);
        Assert.Matches(@"protocol\s+<string>\n\s+enum: SCTP, TCP, UDP", ports);
        Assert.Contains("FIELD: image <string>", image);
        Assert.Contains("Container image name.", image);
    }

    [Fact]
    public async Task ExplainKnowsEveryFieldPathOfAPod()
    {
        var tree = await kubectl.OutputAsync("explain", "pod", "--recursive");

        // The recursive view indents each field by its depth: rebuild the dotted paths from it.
        var explained = new SortedSet<string>(StringComparer.Ordinal);
        var stack = new List<string>();
        foreach (Match line in FieldLineRegex().Matches(tree))
        {
            var depth = (line.Groups["indent"].Length / 2) - 1;
            stack.RemoveRange(depth, stack.Count - depth);
            stack.Add(line.Groups["name"].Value);
            explained.Add(string.Join('.', stack));
        }

        var expected = new SortedSet<string>(Paths(ApiTypes.Instance.ForKind("v1", "Pod")!, string.Empty, 0), StringComparer.Ordinal);
        Assert.Empty(expected.Except(explained));
        Assert.True(expected.Count > 400, $"{expected.Count} paths");
    }

    [Fact]
    public async Task CreateWithValidateStrictRefusesAMisspelledField()
    {
        var pod = $"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: {Pods.Unique("typo")}
            spec:
              containers:
              - name: main
                image: alpine
                comand: ["true"]
            """;

        var strict = await kubectl.RunAsync(["create", "-f", "-", "--validate=strict"], pod);
        var warned = await kubectl.RunAsync(["create", "-f", "-", "--validate=warn", "--dry-run=server"], pod);

        Assert.Equal(1, strict.ExitCode);
        Assert.Matches("^Error from server \\(BadRequest\\): error when creating \"STDIN\": Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.containers\\[0\\].comand\"\n$", strict.Error);
        Assert.Equal(0, warned.ExitCode);
        Assert.Contains("Warning: unknown field \"spec.containers[0].comand\"", warned.Error);
    }

    private static IEnumerable<string> Paths(ApiType type, string prefix, int depth)
    {
        if (type.IsKind)
        {
            yield return $"{prefix}apiVersion";
            yield return $"{prefix}kind";
        }

        foreach (var (name, field) in type.JsonFields)
        {
            yield return prefix + name;
            if (field.Type is { Form: JsonForm.Fields } inner && depth < 15)
            {
                foreach (var path in Paths(inner, $"{prefix}{name}.", depth + 1))
                {
                    yield return path;
                }
            }
        }
    }

    [GeneratedRegex(@"^(?<indent> +)(?<name>[A-Za-z$][A-Za-z0-9_$]*)\t<", RegexOptions.Multiline)]
    private static partial Regex FieldLineRegex();
}
