using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using PodManager.TestCluster.ApiServer;
using PodManager.TestCluster.ContainerRuntime;
using PodManager.TestCluster.Faults;
using PodManager.TestCluster.Hosting;
using PodManager.TestCluster.Kubelet;

namespace PodManager.TestCluster;

/// <summary>
/// A local Kubernetes API server and kubelet emulator on https://127.0.0.1. Pods run as real processes in their
/// own mount and PID namespaces. Several clusters can run in one process; each owns a temporary directory that
/// is removed, with every container process it started, when it is disposed.
/// </summary>
public sealed class TestClusterServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ClusterServices services;
    private readonly CertificateAuthority authority;
    private readonly CancellationTokenSource shutdown;
    private int disposed;

    private TestClusterServer(WebApplication app, ClusterServices services, CertificateAuthority authority, CancellationTokenSource shutdown, string workDirectory, Uri address, string kubeConfigPath)
    {
        this.app = app;
        this.services = services;
        this.authority = authority;
        this.shutdown = shutdown;
        Token = services.Credentials.TokenFor(TestClusterContexts.Admin);
        ReadOnlyToken = services.Credentials.TokenFor(TestClusterContexts.ReadOnly);
        WorkDirectory = workDirectory;
        Address = address;
        KubeConfigPath = kubeConfigPath;
        Admin = new TestClusterAdminClient(CreateHttpClient());
    }

    /// <summary>https://127.0.0.1:PORT</summary>
    public Uri Address { get; }

    /// <summary>The kubeconfig, written before <see cref="StartAsync"/> returns.</summary>
    public string KubeConfigPath { get; }

    /// <summary>The bearer token of the <c>testcluster</c> user (full access, and the fault API).</summary>
    public string Token { get; }

    /// <summary>The bearer token of the <c>testcluster-readonly</c> user, who may only read.</summary>
    public string ReadOnlyToken { get; }

    /// <summary>The file the <c>testcluster-tokenfile</c> context's <c>tokenFile</c> names; the cluster rotates the token in it.</summary>
    public string TokenFilePath => services.Credentials.TokenFilePath;

    /// <summary>The exec credential plugin of the <c>testcluster-exec</c> context (a script printing an ExecCredential).</summary>
    public string ExecPluginPath => services.Credentials.ExecPluginPath;

    /// <summary>The bearer token a context of <see cref="TestClusterContexts"/> uses now (for the token-file and exec
    /// contexts, the current one), e.g. for <see cref="CreateHttpClient"/>.</summary>
    public string TokenFor(string context) => services.Credentials.TokenFor(context);

    /// <summary>The cluster's temporary directory (logs, volumes, container roots); removed on dispose.</summary>
    public string WorkDirectory { get; }

    /// <summary>The fault API: injected errors, cut watches, outages, container kills, evictions, request counters.</summary>
    public TestClusterAdminClient Admin { get; }

    /// <summary>The PEM of the CA that signed the server certificate (also in the kubeconfig).</summary>
    public string CertificateAuthorityPem => authority.AuthorityPem;

    /// <summary>An HttpClient for raw requests to this cluster: it trusts the cluster's CA and sends
    /// <paramref name="token"/> (the full-access token when null; pass an empty string to send none).</summary>
    public HttpClient CreateHttpClient(string? token = null) =>
        ClusterHttpClient.Create(Address, authority.AuthorityPem, token is null ? Token : token.Length == 0 ? null : token);

    /// <exception cref="ArgumentException">A node label, taint or extended resource of the options is invalid.</exception>
    public static async Task<TestClusterServer> StartAsync(TestClusterOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TokenLifetime < TimeSpan.FromSeconds(1) || options.TokenLifetime.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.TokenLifetime, "TokenLifetime must be a whole number of seconds, at least one.");
        }

        NodeRegistration.From(options);
        var workDirectory = ClusterDirectory.Create(options.WorkDirectory);
        var authority = CertificateAuthority.Create();
        var shutdown = new CancellationTokenSource();
        var services = new ClusterServices(options, workDirectory);
        WebApplication? app = null;
        try
        {
            app = BuildApp(options, authority, services, shutdown.Token);
            services.Start();
            await app.StartAsync(cancellationToken);
            var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
            var address = new Uri($"https://127.0.0.1:{port}");
            var kubeConfigPath = options.KubeConfigPath ?? Path.Combine(workDirectory, "kubeconfig");
            await KubeConfigFile.WriteAsync(kubeConfigPath, address, authority.AuthorityPem, services.Credentials, cancellationToken);
            return new TestClusterServer(app, services, authority, shutdown, workDirectory, address, kubeConfigPath);
        }
        catch
        {
            await shutdown.CancelAsync();
            await services.DisposeAsync();
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            authority.Dispose();
            SafeDirectory.TryDelete(workDirectory);
            throw;
        }
    }

    /// <summary>Stops serving, kills every container process the cluster started, and deletes its temporary files. With
    /// <see cref="TestClusterOptions.SchemaCheckDirectory"/> set, it then writes the schema check's report and throws
    /// <see cref="InvalidOperationException"/> listing the violations, if there were any.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        Admin.Dispose();
        await shutdown.CancelAsync();
        await services.DisposeAsync();
        using (var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await app.StopAsync(stopTimeout.Token);
        }

        var schemaCheck = app.Services.GetService<ResponseSchemaCheck>();
        await app.DisposeAsync();
        authority.Dispose();
        shutdown.Dispose();
        SafeDirectory.TryDelete(WorkDirectory);
        if (schemaCheck is not null)
        {
            await schemaCheck.WriteReportAsync(CancellationToken.None);
            if (schemaCheck.Violations.Count > 0)
            {
                throw new InvalidOperationException($"The test cluster sent {schemaCheck.Violations.Count} JSON objects that do not match the Kubernetes OpenAPI schema:{Environment.NewLine}{string.Join(Environment.NewLine, schemaCheck.Violations)}");
            }
        }
    }

    private static WebApplication BuildApp(TestClusterOptions options, CertificateAuthority authority, ClusterServices services, CancellationToken shutdown)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        if (options.SchemaCheckDirectory is { } schemaCheckDirectory)
        {
            builder.Services.AddSingleton(new ResponseSchemaCheck(Path.GetFullPath(schemaCheckDirectory), Console.Error));
        }

        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MinResponseDataRate = null;

            // Watches and log follows are long-lived streams; kube-apiserver allows 1000 per HTTP/2 connection.
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.Use(services.Outage.Guard);
                listen.UseHttps(authority.Server);
            });
        });
        var app = builder.Build();
        var extraRoutes = new Dictionary<string, RequestDelegate> { [FaultPipeline.AdminPrefix.TrimStart('/')] = services.Admin.HandleAsync };
        var router = new ApiRouter(services.Resources, extraRoutes);
        app.Use(FaultPipeline.Outage(services.Outage));
        app.Use(ApiPipeline.HandleErrorsAsync);
        app.Use(ApiPipeline.Authenticate(services.Tokens, services.Authorizer));
        app.Use(ApiPipeline.Authorize(services.Authorizer));
        app.Use(FaultPipeline.Inject(services.Faults, services.Requests, services.State.Time));
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(async context =>
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, shutdown);
            await router.RouteAsync(context, linked.Token);
        });
        return app;
    }
}
