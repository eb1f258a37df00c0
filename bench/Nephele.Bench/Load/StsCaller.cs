using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace Nephele.Bench.Load;

/// <summary>
/// The official AWS SDK for .NET STS client pointed at one endpoint: the same signing, HTTP stack and
/// response parsing for every target, so the comparison is fair.
/// </summary>
internal sealed class StsCaller : ILoadWorkload
{
    private static readonly GetCallerIdentityRequest Request = new();
    private readonly AmazonSecurityTokenServiceClient _client;

    public StsCaller(Uri endpoint)
    {
        var config = new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            // A retry would hide a failure and count a doubled latency as one request.
            MaxErrorRetry = 0,
            Timeout = TimeSpan.FromSeconds(10),
        };
        _client = new AmazonSecurityTokenServiceClient(new BasicAWSCredentials("test", "test"), config);
    }

    public Task CheckAsync(CancellationToken ct) => _client.GetCallerIdentityAsync(Request, ct);

    public Task PrepareAsync(TimeSpan window, CancellationToken ct) => Task.CompletedTask;

    public void Observe(LoadResult result) { }

    public async Task<int> SendAsync(CancellationToken ct)
    {
        await _client.GetCallerIdentityAsync(Request, ct);
        return 1;
    }

    public void Dispose() => _client.Dispose();
}
