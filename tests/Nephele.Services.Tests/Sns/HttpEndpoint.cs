using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Nephele.Services.Tests.Sns;

/// <summary>A subscriber's HTTP endpoint on a free loopback port: records every POST and answers with the queued status codes (200 once they run out).</summary>
public sealed class HttpEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();
    private readonly ConcurrentQueue<int> _statuses = new();

    public sealed record Received(string Path, Dictionary<string, string> Headers, string Body);

    private HttpEndpoint(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public static async Task<HttpEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var endpoint = new HttpEndpoint(builder.Build());
        endpoint._app.Run(endpoint.Handle);
        await endpoint._app.StartAsync();
        endpoint.Url = endpoint._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
        return endpoint;
    }

    /// <summary>The next requests get these status codes, in order.</summary>
    public void RespondWith(params int[] statuses)
    {
        foreach (var status in statuses) _statuses.Enqueue(status);
    }

    private async Task Handle(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        http.Response.StatusCode = _statuses.TryDequeue(out var status) ? status : 200;
        await _received.Writer.WriteAsync(new Received(http.Request.Path, headers, body));
    }

    /// <summary>The next request, waiting up to ten seconds (deliveries are asynchronous).</summary>
    public async Task<Received> Next()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>True when no request arrives within a short grace period.</summary>
    public async Task<bool> Quiet()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        try
        {
            await _received.Reader.WaitToReadAsync(timeout.Token);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
