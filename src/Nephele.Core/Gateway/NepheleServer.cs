using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nephele.Core.Auth;
using Nephele.Core.State;
using Nephele.Core.Time;

namespace Nephele.Core.Gateway;

/// <summary>
/// One Nephele: Kestrel on one port, internal endpoints under /_nephele/, everything else to the AWS gateway.
/// Tests start it on port 0; the CLI on 4566.
/// </summary>
public sealed class NepheleServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IStateStore _state;

    private NepheleServer(WebApplication app, IStateStore state, NepheleOptions options, ServiceIndex index, ProviderRegistry providers)
        => (_app, _state, Options, Index, Providers) = (app, state, options, index, providers);

    public NepheleOptions Options { get; }
    public ServiceIndex Index { get; }
    public ProviderRegistry Providers { get; }

    /// <summary>The address it listens on, e.g. http://127.0.0.1:4566 (known after start).</summary>
    public Uri Endpoint { get; private set; } = new("http://127.0.0.1/");

    public static NepheleServer Create(NepheleOptions options, Func<ServiceEnvironment, IEnumerable<IAwsProvider>> providers)
    {
        // Reading the routing index and opening the state store overlap with building the host.
        var loadIndex = Task.Run(ServiceIndex.Load);
        var openState = Task.Run(() => SqliteStateStore.Open(options.Ephemeral ? null : options.DataDir));

        // The empty builder skips configuration files, environment providers and default logging that
        // Nephele does not use: it is ready sooner (the native binary's startup budget is 100 ms).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null;
        });
        builder.WebHost.UseUrls($"http://{(options.Host.Contains(':') ? $"[{options.Host}]" : options.Host)}:{options.Port}");

        var state = openState.GetAwaiter().GetResult();
        var clock = new NepheleClock(state);
        var credentials = new CredentialStore(state);
        var index = loadIndex.GetAwaiter().GetResult();
        var catalog = new ModelCatalog(index);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(index);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton<IStateStore>(state);
        builder.Services.AddSingleton<ICredentialStore>(credentials);
        builder.Services.AddSingleton<ServiceDetector>();
        builder.Services.AddSingleton(ProtocolRegistry.Default());
        builder.Services.AddSingleton(new RequestAuthenticator(credentials, clock, options.EnforceSignatures));
        builder.Services.AddSingleton(sp => new RequestAuthorizer(sp.GetRequiredService<ProviderRegistry>(), options.EnforceIam));
        builder.Services.AddSingleton<AwsGateway>();
        var routes = new InternalRoutes();
        builder.Services.AddSingleton(sp => new ProviderRegistry(providers(new ServiceEnvironment
        {
            Options = options,
            Clock = clock,
            State = state,
            Credentials = credentials,
            Logging = sp.GetRequiredService<ILoggerFactory>(),
            Routes = routes,
        })));
        builder.Services.AddSingleton(sp => new InternalEndpoints(options, index, sp.GetRequiredService<ProviderRegistry>(), clock, state));

        var app = builder.Build();
        var gateway = app.Services.GetRequiredService<AwsGateway>();
        var internals = app.Services.GetRequiredService<InternalEndpoints>();
        var registry = app.Services.GetRequiredService<ProviderRegistry>();
        app.Run(http => InternalEndpoints.Matches(http.Request.Path) ? internals.HandleAsync(http)
            : routes.Find(http.Request) is { } route ? route(http)
            : gateway.HandleAsync(http));
        return new NepheleServer(app, state, options, index, registry);
    }

    public async Task StartAsync(CancellationToken ct = default)
    {
        await _app.StartAsync(ct);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Endpoint = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal));
    }

    public Task WaitForShutdownAsync(CancellationToken ct = default) => Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.WaitForShutdownAsync(_app, ct);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _state.Dispose();
    }
}
