using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nephele.Bench.Processes;

/// <summary>
/// GET health URL, true on 200. Warmed up before any timing so that the bench's own JIT of the HTTP
/// stack is not charged to the server being measured (it would dwarf a 20 ms AOT start).
/// </summary>
internal sealed class ReadinessProbe : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(2);

    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(1),
        // A fresh connection per server; a pooled one to a dead port must not linger.
        PooledConnectionLifetime = TimeSpan.Zero,
    })
    {
        Timeout = TimeSpan.FromSeconds(2),
    };

    public async Task<bool> IsReadyAsync(Uri url, CancellationToken ct)
    {
        try
        {
            using var response = await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            // One slow answer while the server is still starting; poll again.
            return false;
        }
    }

    /// <summary>Exercises both the refused-connection and the 200 paths against a throwaway listener.</summary>
    public async Task WarmUpAsync(CancellationToken ct)
    {
        await IsReadyAsync(new Uri($"http://127.0.0.1:{FreePort.Next()}/"), ct);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        for (var i = 0; i < 3; i++)
        {
            var answer = AnswerOnceAsync(listener, ct);
            await IsReadyAsync(url, ct);
            await answer;
        }
    }

    private static async Task AnswerOnceAsync(TcpListener listener, CancellationToken ct)
    {
        using var socket = await listener.AcceptSocketAsync(ct);
        var buffer = new byte[4096];
        await socket.ReceiveAsync(buffer, ct);
        await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"u8.ToArray(), ct);
        socket.Shutdown(SocketShutdown.Both);
    }

    public void Dispose() => _client.Dispose();
}
