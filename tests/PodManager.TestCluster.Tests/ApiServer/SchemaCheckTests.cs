using System.Text.Json;
using k8s;
using Microsoft.AspNetCore.Http;
using PodManager.TestCluster.ApiServer.Types;
using PodManager.TestCluster.Hosting;
using PodManager.TestCluster.Tests.Infrastructure;

namespace PodManager.TestCluster.Tests.ApiServer;

/// <summary>The schema check of every JSON object the cluster sends (the test-suite mode on in CI).</summary>
public sealed class SchemaCheckTests
{
    [Fact]
    public void AValidPodHasNoViolations()
    {
        var violations = Validate("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","creationTimestamp":"2024-01-02T03:04:05Z","labels":{"a":"b"}},
             "spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"alpine","ports":[{"containerPort":80}],"resources":{"requests":{"cpu":"250m"}}}]},
             "status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"True"}]}}
            """);

        Assert.Empty(violations);
    }

    [Fact]
    public void EachViolationNamesTheKindThePathAndTheField()
    {
        var violations = Validate("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","creationTimestamp":"yesterday"},
             "spec":{"restartPolicy":"Sometimes","bogus":1,"terminationGracePeriodSeconds":"30",
                     "containers":[{"image":"alpine","ports":[{"containerPort":80}],"resources":{"limits":{"memory":"lots"}}}]}}
            """);

        Assert.Equal(
            [
                "Pod .metadata.creationTimestamp: the string \"yesterday\" is not a date-time (RFC 3339)",
                "Pod .spec.restartPolicy: \"Sometimes\" is not one of the enum values \"Always\", \"Never\", \"OnFailure\"",
                "Pod .spec.bogus: unknown field \"bogus\" (PodSpec has no such field)",
                "Pod .spec.terminationGracePeriodSeconds: the string \"30\" is not an int64",
                "Pod .spec.containers[0].resources.limits[memory]: the string \"lots\" is not a quantity",
                "Pod .spec.containers[0].name: required field \"name\" is missing (Container)",
            ],
            violations);
    }

    [Fact]
    public void AWatchEventsObjectIsCheckedAsItsOwnKind()
    {
        using var log = new StringWriter();
        var check = new ResponseSchemaCheck(Path.GetTempPath(), log);
        var context = Request("/api/v1/pods", "?watch=1");

        check.CheckWatchEvent(context, """{"type":"ADDED","object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","imagePullPolicy":"Sometimes"}]}}}"""u8);

        Assert.Equal(1, check.Validated);
        var violation = Assert.Single(check.Violations);
        Assert.Equal("schema violation: GET /api/v1/pods?watch=1 (watch event): Pod .spec.containers[0].imagePullPolicy: \"Sometimes\" is not one of the enum values \"Always\", \"IfNotPresent\", \"Never\"", violation);
        Assert.Equal($"testcluster: {violation}{Environment.NewLine}", log.ToString());
    }

    [Fact]
    public async Task TheReportCountsWhatWasValidatedAndListsTheViolations()
    {
        var directory = Directory.CreateTempSubdirectory("schema-report-").FullName;
        try
        {
            var check = new ResponseSchemaCheck(directory, TextWriter.Null);
            check.CheckResponse(Request("/api/v1/namespaces/default/configmaps/x"), 200, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":{"a":"b"}}"""u8);
            check.CheckResponse(Request("/api/v1/namespaces/default/configmaps/y"), 200, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"y"},"data":{"a":1}}"""u8);
            check.CheckResponse(Request("/api/v1/widgets"), 200, """{"apiVersion":"v1","kind":"Widget"}"""u8);
            check.CheckResponse(Request("/_testcluster/requests"), 200, """{"not":"an object of a kind"}"""u8);

            await check.WriteReportAsync(CancellationToken.None);

            var report = JsonDocument.Parse(await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(directory)))).RootElement;
            Assert.Equal(3, report.GetProperty("validated").GetInt64());
            Assert.Equal(
                [
                    "schema violation: GET /api/v1/namespaces/default/configmaps/y (200): ConfigMap .data[a]: the number 1 is not a string",
                    "schema violation: GET /api/v1/widgets (200): Widget: no schema for kind Widget in v1",
                ],
                report.GetProperty("violations").EnumerateArray().Select(v => v.GetString()));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task AClusterWithTheCheckOnValidatesWhatItSendsAndReportsWhenItStops()
    {
        var directory = Directory.CreateTempSubdirectory("schema-cluster-").FullName;
        try
        {
            await using (var server = await TestClusterServer.StartAsync(new TestClusterOptions { SchemaCheckDirectory = directory }))
            {
                using var client = new Kubernetes(LoopbackGuard.Load(server.KubeConfigPath));
                await client.CoreV1.ListNamespaceAsync();
                await client.CoreV1.ReadNamespaceAsync("default");
            }

            var report = JsonDocument.Parse(await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(directory)))).RootElement;
            Assert.Equal(2, report.GetProperty("validated").GetInt64());
            Assert.Empty(report.GetProperty("violations").EnumerateArray());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void EveryKindOfTheTablesIsFoundByItsApiVersionAndKind()
    {
        var types = ApiTypes.Instance;

        Assert.All(types.All.Where(t => t.IsKind && t.ApiVersion is not null), kind => Assert.Same(kind, types.ForKind(kind.ApiVersion, kind.ShortName)));
        Assert.Equal("io.k8s.api.rbac.v1.Role", types.ForKind("rbac.authorization.k8s.io/v1", "Role")?.Name);
        Assert.Equal("io.k8s.apimachinery.pkg.apis.meta.v1.Status", types.ForKind("rbac.authorization.k8s.io/v1", "Status")?.Name);
        Assert.Null(types.ForKind("v1", "Role"));
    }

    private static List<string> Validate(string json)
    {
        var violations = new List<string>();
        SchemaValidator.ValidateObject(JsonDocument.Parse(json).RootElement, violations);
        return violations;
    }

    private static DefaultHttpContext Request(string path, string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        return context;
    }
}
