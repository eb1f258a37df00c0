using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Nephele.Bench.Cli;

namespace Nephele.Bench.Load;

/// <summary>`ssm-get`: SSM GetParameter of a 100-byte String parameter, through the AWS SDK for .NET.</summary>
internal sealed class SsmGetWorkload : ILoadWorkload
{
    private readonly AmazonSimpleSystemsManagementClient _client;
    private readonly string _name = $"/bench/{Guid.NewGuid():N}";

    public SsmGetWorkload(Uri endpoint)
    {
        var config = new AmazonSimpleSystemsManagementConfig
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            // A retry would hide a failure and count a doubled latency as one request.
            MaxErrorRetry = 0,
            Timeout = TimeSpan.FromSeconds(10),
        };
        _client = new AmazonSimpleSystemsManagementClient(new BasicAWSCredentials("test", "test"), config);
    }

    public async Task CheckAsync(CancellationToken ct)
    {
        await _client.PutParameterAsync(new PutParameterRequest { Name = _name, Value = new string('v', 100), Type = ParameterType.String }, ct);
        var got = await _client.GetParameterAsync(new GetParameterRequest { Name = _name }, ct);
        if (got.Parameter.Value.Length != 100) throw new BenchException($"GetParameter returned {got.Parameter.Value.Length} characters, expected 100.");
    }

    public Task PrepareAsync(TimeSpan window, CancellationToken ct) => Task.CompletedTask;

    public void Observe(LoadResult result) { }

    public async Task<int> SendAsync(CancellationToken ct)
    {
        await _client.GetParameterAsync(new GetParameterRequest { Name = _name }, ct);
        return 1;
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>`secrets-get`: Secrets Manager GetSecretValue of a 100-byte secret (encrypted at rest with KMS), through raw
/// JSON requests (there is no AWSSDK.SecretsManager on the package mirror).</summary>
internal sealed class SecretsGetWorkload : ILoadWorkload
{
    private const string Authorization = "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=00";
    private readonly HttpClient _http;
    private readonly string _name = $"bench/{Guid.NewGuid():N}";

    public SecretsGetWorkload(Uri endpoint) =>
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(10) };

    public async Task CheckAsync(CancellationToken ct)
    {
        await CallAsync("CreateSecret", "{\"Name\":\"" + _name + "\",\"SecretString\":\"" + new string('s', 100) + "\"}", ct);
        var got = await CallAsync("GetSecretValue", "{\"SecretId\":\"" + _name + "\"}", ct);
        if (!got.Contains(new string('s', 100), StringComparison.Ordinal)) throw new BenchException($"GetSecretValue answered {got[..Math.Min(200, got.Length)]}");
    }

    public Task PrepareAsync(TimeSpan window, CancellationToken ct) => Task.CompletedTask;

    public void Observe(LoadResult result) { }

    public async Task<int> SendAsync(CancellationToken ct)
    {
        await CallAsync("GetSecretValue", "{\"SecretId\":\"" + _name + "\"}", ct);
        return 1;
    }

    private async Task<string> CallAsync(string operation, string body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "secretsmanager." + operation);
        request.Headers.TryAddWithoutValidation("Authorization", Authorization);
        using var response = await _http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new BenchException($"{operation} answered {(int)response.StatusCode}: {text[..Math.Min(200, text.Length)]}");
        return text;
    }

    public void Dispose() => _http.Dispose();
}
