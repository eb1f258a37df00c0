using Nephele.Core.Gateway;

namespace Nephele.Services.Tests.SecretsManager;

public sealed class SecretsManagerDurabilityTests : IDisposable
{
    private readonly RestartableNephele _nephele = new();

    public void Dispose() => _nephele.Dispose();

    private Task<NepheleServer> Start() => _nephele.StartAsync();

    private static SecretsManagerClient Client(NepheleServer server) => new(new HttpClient { BaseAddress = server.Endpoint });

    [Fact]
    public async Task Secret_versions_and_arn_survive_a_restart()
    {
        string arn;
        await using (var first = await Start())
        {
            var sm = Client(first);
            arn = (await sm.Call("CreateSecret", new { Name = "durable/db", SecretString = "one" })).GetProperty("ARN").GetString()!;
            await sm.Call("PutSecretValue", new { SecretId = "durable/db", SecretString = "two" });
        }

        await using var second = await Start();
        var after = Client(second);
        var current = await after.Call("GetSecretValue", new { SecretId = arn });
        Assert.Equal("two", current.GetProperty("SecretString").GetString());
        Assert.Equal("one", (await after.Call("GetSecretValue", new { SecretId = arn, VersionStage = "AWSPREVIOUS" })).GetProperty("SecretString").GetString());
    }
}
