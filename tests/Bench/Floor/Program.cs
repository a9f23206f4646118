using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using k8s;
using k8s.Models;

// The floor of each benchmark scenario: the same work as PodManager does, driven straight through
// KubernetesClient in one process with no PowerShell, retries, diagnosis or per-pod bookkeeping. What the test
// cluster needs for it is the least any client can take. Prints one JSON object on stdout.
//
//   Floor fanout     --kubeconfig K --count N --prefix P     create N pods (sleep 2; echo done) at once, one
//                                                            watch, read each log and delete each pod as it ends
//   Floor logs       --kubeconfig K --pod NAME --out FILE    copy a finished pod's log to a file
//   Floor completion --kubeconfig K --names a,b,c            one watch; the wall clock (Unix ns) at which each
//                                                            pod is first seen Succeeded or Failed
var options = ParseOptions(args.Skip(1).ToArray());
var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(options["kubeconfig"]);
if (!new Uri(config.Host).IsLoopback)
{
    Console.Error.WriteLine($"Refusing to talk to {config.Host}: the benchmark only ever talks to 127.0.0.1.");
    return 2;
}

using var client = new Kubernetes(config);
const string Ns = "default";
object result = args.FirstOrDefault() switch
{
    "fanout" => await FanOutAsync(client, int.Parse(options["count"]), options["prefix"]),
    "logs" => await LogsAsync(client, options["pod"], options["out"]),
    "completion" => await CompletionAsync(client, options["names"].Split(',')),
    _ => throw new ArgumentException("usage: Floor fanout|logs|completion --kubeconfig PATH ..."),
};
Console.WriteLine(JsonSerializer.Serialize(result));
return 0;

static async Task<object> FanOutAsync(Kubernetes client, int count, string prefix)
{
    var names = Enumerable.Range(1, count).Select(i => $"{prefix}-{i}").ToHashSet();
    var done = new ConcurrentDictionary<string, Task>();
    var lines = 0;
    var clock = Stopwatch.StartNew();
    using var stop = new CancellationTokenSource();

    // One watch for every pod, as an informer would have; opened before the creates so nothing is missed.
    var list = await client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: $"floor={prefix}");
    var watch = Task.Run(async () =>
    {
        await foreach (var (_, pod) in client.CoreV1.WatchListNamespacedPodAsync(Ns, labelSelector: $"floor={prefix}", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: stop.Token))
        {
            var name = pod.Metadata.Name;
            if (pod.Status?.Phase is "Succeeded" or "Failed" && names.Contains(name) && !done.ContainsKey(name))
            {
                done[name] = Task.Run(async () =>
                {
                    using var log = await client.CoreV1.ReadNamespacedPodLogAsync(name, Ns);
                    using var reader = new StreamReader(log);
                    if ((await reader.ReadToEndAsync()).Contains("done", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref lines);
                    }

                    await client.CoreV1.DeleteNamespacedPodAsync(name, Ns);
                });
            }
        }
    });

    await Task.WhenAll(names.Select(name => client.CoreV1.CreateNamespacedPodAsync(Pod(name, prefix, ["sh", "-c", "sleep 2; echo done"]), Ns)));
    var created = clock.Elapsed;
    while (done.Count < count || !done.Values.All(t => t.IsCompleted))
    {
        await Task.Delay(20);
    }

    await Task.WhenAll(done.Values);
    var wall = clock.Elapsed;
    // The watch's stream read does not observe the token; the process ends without waiting for it.
    await stop.CancelAsync();
    _ = watch;
    return new { WallMs = wall.TotalMilliseconds, CreateMs = created.TotalMilliseconds, Pods = count, LogsWithDone = lines };
}

static async Task<object> LogsAsync(Kubernetes client, string pod, string path)
{
    // The client's own HttpClient and credentials, streaming the response (the generated
    // ReadNamespacedPodLogAsync is slower here: the floor is what the cluster can serve).
    var clock = Stopwatch.StartNew();
    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.BaseUri, $"api/v1/namespaces/{Ns}/pods/{pod}/log")) { Version = System.Net.HttpVersion.Version20 };
    await client.Credentials.ProcessHttpRequestAsync(request, CancellationToken.None);
    using var response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    response.EnsureSuccessStatusCode();
    await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20, useAsync: true))
    await using (var log = await response.Content.ReadAsStreamAsync())
    {
        await log.CopyToAsync(file, 1 << 16);
    }

    return new { Ms = clock.Elapsed.TotalMilliseconds, Bytes = new FileInfo(path).Length };
}

static async Task<object> CompletionAsync(Kubernetes client, string[] names)
{
    var wanted = names.ToHashSet();
    var seen = new Dictionary<string, long>();
    var list = await client.CoreV1.ListNamespacedPodAsync(Ns);
    foreach (var pod in list.Items.Where(p => wanted.Contains(p.Metadata.Name) && p.Status?.Phase is "Succeeded" or "Failed"))
    {
        seen[pod.Metadata.Name] = UnixNanos();
    }

    using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
    await foreach (var (_, pod) in client.CoreV1.WatchListNamespacedPodAsync(Ns, resourceVersion: list.Metadata.ResourceVersion, cancellationToken: stop.Token))
    {
        if (pod.Status?.Phase is "Succeeded" or "Failed" && wanted.Contains(pod.Metadata.Name))
        {
            seen.TryAdd(pod.Metadata.Name, UnixNanos());
            if (seen.Count == wanted.Count)
            {
                break;
            }
        }
    }

    return seen.Select(p => new { Name = p.Key, Returned = p.Value }).ToList();
}

static long UnixNanos() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

static V1Pod Pod(string name, string prefix, IList<string> command) => new()
{
    Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["floor"] = prefix } },
    Spec = new V1PodSpec
    {
        RestartPolicy = "Never",
        Containers = [new V1Container { Name = "base", Image = "alpine", Command = command }],
    },
};

static Dictionary<string, string> ParseOptions(string[] arguments)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < arguments.Length; i += 2)
    {
        result[arguments[i].TrimStart('-')] = arguments[i + 1];
    }

    return result;
}
