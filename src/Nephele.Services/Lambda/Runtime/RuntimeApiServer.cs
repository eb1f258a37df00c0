using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Nephele.Services.Lambda.Runtime;

/// <summary>
/// One request to the Runtime API: method, path, headers (lower-case names) and body. A streamed response
/// (Lambda-Runtime-Function-Response-Mode: streaming, chunked) leaves Body empty: the handler reads it from
/// <see cref="Chunks"/> as it arrives, trailers included.
/// </summary>
internal sealed record RuntimeRequest(string Method, string Path, Dictionary<string, string> Headers, byte[] Body)
{
    public HttpRequestReader? Chunks { get; init; }
}

/// <summary>A response: status, extra headers, body.</summary>
internal sealed record RuntimeResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public static RuntimeResponse Json(int status, string json) => new(status, [], Encoding.UTF8.GetBytes(json));
}

/// <summary>
/// The Lambda Runtime API of ONE execution environment, on its own loopback port. AWS gives every environment
/// its own endpoint and runtime clients expect AWS_LAMBDA_RUNTIME_API to be a bare host:port, so the port is
/// what tells environments apart. A socket listener costs microseconds to open, where a Kestrel host per
/// environment would cost a good part of the cold-start budget; the protocol is four routes of plain HTTP/1.1
/// (keep-alive, Content-Length or chunked bodies, Expect: 100-continue as curl sends it).
/// </summary>
internal sealed class RuntimeApiServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<RuntimeRequest, CancellationToken, Task<RuntimeResponse>> _handle;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _connections = [];
    private readonly Task _accepting;

    public RuntimeApiServer(Func<RuntimeRequest, CancellationToken, Task<RuntimeResponse>> handle)
    {
        _handle = handle;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The value of AWS_LAMBDA_RUNTIME_API.</summary>
    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                socket.NoDelay = true;
                lock (_connections) _connections.Add(socket);
                _ = ServeAsync(socket);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            await using var stream = new NetworkStream(socket, ownsSocket: true);
            var reader = new HttpRequestReader(stream);
            while (await reader.ReadAsync(_stop.Token) is { } request)
            {
                var response = await _handle(request, _stop.Token);
                await WriteAsync(stream, response, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException or InvalidDataException)
        {
        }
        finally
        {
            lock (_connections) _connections.Remove(socket);
        }
    }

    private static async Task WriteAsync(Stream stream, RuntimeResponse response, CancellationToken ct)
    {
        var head = new StringBuilder();
        head.Append("HTTP/1.1 ").Append(response.Status).Append(' ').Append(Reason(response.Status)).Append("\r\n");
        head.Append("Content-Type: application/json\r\n");
        foreach (var (name, value) in response.Headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        head.Append("Content-Length: ").Append(response.Body.Length).Append("\r\n\r\n");
        var bytes = Encoding.UTF8.GetBytes(head.ToString());
        var all = new byte[bytes.Length + response.Body.Length];
        bytes.CopyTo(all, 0);
        response.Body.CopyTo(all, bytes.Length);
        await stream.WriteAsync(all, ct);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        413 => "Request Entity Too Large",
        500 => "Internal Server Error",
        _ => "Status",
    };

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_connections)
        {
            foreach (var socket in _connections) socket.Dispose();
        }
        await _accepting;
        _stop.Dispose();
    }
}

/// <summary>Reads HTTP/1.1 requests off one connection, one after another.</summary>
internal sealed class HttpRequestReader(Stream stream)
{
    private const int MaxHeaderBytes = 64 * 1024;
    private byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    /// <summary>The next request, or null when the client closed the connection between requests.</summary>
    public async Task<RuntimeRequest?> ReadAsync(CancellationToken ct)
    {
        int headerEnd;
        while ((headerEnd = IndexOfHeaderEnd()) < 0)
        {
            if (_end - _start > MaxHeaderBytes) throw new InvalidDataException("request headers too large");
            if (!await FillAsync(ct)) return _end == _start ? null : throw new InvalidDataException("truncated request");
        }
        var text = Encoding.Latin1.GetString(_buffer, _start, headerEnd - _start);
        _start = headerEnd + 4;
        var lines = text.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length < 2) throw new InvalidDataException("bad request line");
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }
        if (headers.TryGetValue("expect", out var expect) && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
            await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), ct);

        var path = requestLine[1];
        var query = path.IndexOf('?');
        if (query >= 0) path = path[..query];
        var chunked = headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        if (chunked && headers.TryGetValue("lambda-runtime-function-response-mode", out var mode) && mode.Equals("streaming", StringComparison.OrdinalIgnoreCase))
        {
            Trailers.Clear();
            return new RuntimeRequest(requestLine[0], path, headers, []) { Chunks = this };
        }
        byte[] body;
        if (chunked)
            body = await ReadChunkedAsync(ct);
        else
        {
            var length = headers.TryGetValue("content-length", out var cl) && int.TryParse(cl, out var n) ? n : 0;
            body = await ReadExactlyAsync(length, ct);
        }
        return new RuntimeRequest(requestLine[0], path, headers, body);
    }

    /// <summary>Trailer fields of the last streamed body (lower-case names), once <see cref="ReadChunkAsync"/> returned null.</summary>
    public Dictionary<string, string> Trailers { get; } = new(StringComparer.Ordinal);

    /// <summary>The next chunk of a streamed body, or null after the last one (its trailers are then in <see cref="Trailers"/>).</summary>
    public async Task<byte[]?> ReadChunkAsync(CancellationToken ct)
    {
        while (true)
        {
            var line = await ReadLineAsync(ct);
            var semicolon = line.IndexOf(';');
            var size = Convert.ToInt32(semicolon >= 0 ? line[..semicolon] : line, 16);
            if (size == 0)
            {
                string trailer;
                while ((trailer = await ReadLineAsync(ct)).Length > 0)
                {
                    var colon = trailer.IndexOf(':');
                    if (colon > 0) Trailers[trailer[..colon].Trim().ToLowerInvariant()] = trailer[(colon + 1)..].Trim();
                }
                return null;
            }
            var chunk = await ReadExactlyAsync(size, ct);
            await ReadLineAsync(ct);
            if (chunk.Length > 0) return chunk;
        }
    }

    private async Task<byte[]> ReadChunkedAsync(CancellationToken ct)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var line = await ReadLineAsync(ct);
            var semicolon = line.IndexOf(';');
            var size = Convert.ToInt32(semicolon >= 0 ? line[..semicolon] : line, 16);
            if (size == 0)
            {
                while ((await ReadLineAsync(ct)).Length > 0)
                {
                }
                return body.ToArray();
            }
            body.Write(await ReadExactlyAsync(size, ct));
            await ReadLineAsync(ct);
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var at = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (at >= 0)
            {
                var line = Encoding.Latin1.GetString(_buffer, _start, at - _start).TrimEnd('\r');
                _start = at + 1;
                return line;
            }
            if (!await FillAsync(ct)) throw new InvalidDataException("truncated chunk");
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken ct)
    {
        var result = new byte[count];
        var have = Math.Min(count, _end - _start);
        Array.Copy(_buffer, _start, result, 0, have);
        _start += have;
        if (have < count) await stream.ReadExactlyAsync(result.AsMemory(have), ct);
        return result;
    }

    private int IndexOfHeaderEnd()
    {
        var span = _buffer.AsSpan(_start, _end - _start);
        var at = span.IndexOf("\r\n\r\n"u8);
        return at < 0 ? -1 : _start + at;
    }

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
        _end += read;
        return read > 0;
    }
}
