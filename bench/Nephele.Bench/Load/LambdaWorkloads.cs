using System.IO.Compression;
using System.Net;
using System.Text;
using Nephele.Bench.Cli;

namespace Nephele.Bench.Load;

/// <summary>
/// Lambda through raw rest-json requests (there is no AWSSDK.Lambda on the package mirror): a trivial Node.js
/// function, created on the target during the check. moto_server runs Lambda functions only in Docker, so where
/// Docker is missing its first invoke fails and it is reported as not measured.
/// </summary>
internal abstract class LambdaWorkload : ILoadWorkload
{
    private const string Authorization = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00";
    private static readonly byte[] Code = Package("exports.handler = async (event) => ({ ok: true, n: event.n });");
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("{\"n\":1}");
    private readonly HttpClient _http;

    protected LambdaWorkload(Uri endpoint) =>
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(30) };

    public abstract Task CheckAsync(CancellationToken ct);

    public Task PrepareAsync(TimeSpan window, CancellationToken ct) => Task.CompletedTask;

    public void Observe(LoadResult result) { }

    public abstract Task<int> SendAsync(CancellationToken ct);

    protected async Task CreateAsync(string name, CancellationToken ct, byte[]? code = null)
    {
        var body = "{\"FunctionName\":\"" + name + "\",\"Runtime\":\"nodejs20.x\",\"Handler\":\"index.handler\"," +
            "\"Role\":\"arn:aws:iam::000000000000:role/bench\",\"Code\":{\"ZipFile\":\"" + Convert.ToBase64String(code ?? Code) + "\"}}";
        await SendAsync(HttpMethod.Post, "/2015-03-31/functions", Encoding.UTF8.GetBytes(body), HttpStatusCode.Created, ct);
    }

    protected async Task InvokeAsync(string name, CancellationToken ct)
    {
        var result = await SendAsync(HttpMethod.Post, $"/2015-03-31/functions/{name}/invocations", Payload, HttpStatusCode.OK, ct);
        if (!result.Contains("\"ok\":true", StringComparison.Ordinal)) throw new BenchException($"Invoke of {name} answered {result}");
    }

    protected Task DeleteAsync(string name, CancellationToken ct) =>
        SendAsync(HttpMethod.Delete, $"/2015-03-31/functions/{name}", null, HttpStatusCode.NoContent, ct);

    private async Task<string> SendAsync(HttpMethod method, string path, byte[]? body, HttpStatusCode expected, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new ByteArrayContent(body);
        request.Headers.TryAddWithoutValidation("Authorization", Authorization);
        using var response = await _http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != expected || response.Headers.Contains("X-Amz-Function-Error"))
            throw new BenchException($"{method} {path} answered {(int)response.StatusCode}: {text[..Math.Min(200, text.Length)]}");
        return text;
    }

    protected static byte[] Package(string source)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry("index.js").Open());
            writer.Write(source);
        }
        return buffer.ToArray();
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>`lambda-invoke`: synchronous Invoke of one warm trivial Node.js function.</summary>
internal sealed class LambdaInvokeWorkload(Uri endpoint) : LambdaWorkload(endpoint)
{
    private readonly string _name = $"bench-{Guid.NewGuid():N}";

    public override async Task CheckAsync(CancellationToken ct)
    {
        await CreateAsync(_name, ct);
        await InvokeAsync(_name, ct);
    }

    public override async Task<int> SendAsync(CancellationToken ct)
    {
        await InvokeAsync(_name, ct);
        return 1;
    }
}

/// <summary>
/// `lambda-cold`: CreateFunction, the first Invoke (a cold start) and DeleteFunction (which ends the environment,
/// so processes do not pile up). The step's latency is dominated by the cold start.
/// </summary>
internal sealed class LambdaColdWorkload(Uri endpoint) : LambdaWorkload(endpoint)
{
    public override async Task CheckAsync(CancellationToken ct) => await SendAsync(ct);

    public override async Task<int> SendAsync(CancellationToken ct)
    {
        var name = $"cold-{Guid.NewGuid():N}";
        await CreateAsync(name, ct);
        await InvokeAsync(name, ct);
        await DeleteAsync(name, ct);
        return 1;
    }
}

/// <summary>
/// `lambda-burst`: one step is 100 concurrent invocations of a function that sleeps 100 ms, so the step's latency is
/// the time the burst takes in total (the environments stay warm between steps, as they would under steady traffic).
/// </summary>
internal sealed class LambdaBurstWorkload(Uri endpoint) : LambdaWorkload(endpoint)
{
    private const int Burst = 100;
    private static readonly byte[] Sleeper = Package("exports.handler = async (event) => { await new Promise(r => setTimeout(r, 100)); return { ok: true, n: event.n }; };");
    private readonly string _name = $"burst-{Guid.NewGuid():N}";

    public override async Task CheckAsync(CancellationToken ct)
    {
        await CreateAsync(_name, ct, Sleeper);
        await InvokeAsync(_name, ct);
    }

    public override async Task<int> SendAsync(CancellationToken ct)
    {
        await Task.WhenAll(Enumerable.Range(0, Burst).Select(_ => InvokeAsync(_name, ct)));
        return Burst;
    }
}
