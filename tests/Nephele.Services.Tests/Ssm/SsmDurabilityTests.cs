using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Nephele.Core.Gateway;

namespace Nephele.Services.Tests.Ssm;

public sealed class SsmDurabilityTests : IDisposable
{
    private readonly RestartableNephele _nephele = new();

    public void Dispose() => _nephele.Dispose();

    private Task<NepheleServer> Start() => _nephele.StartAsync();

    private static AmazonSimpleSystemsManagementClient Client(NepheleServer server) =>
        new(new BasicAWSCredentials("test", "test"),
            new AmazonSimpleSystemsManagementConfig { ServiceURL = server.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    [Fact]
    public async Task Parameters_versions_and_labels_survive_a_restart()
    {
        await using (var first = await Start())
        {
            var ssm = Client(first);
            await ssm.PutParameterAsync(new PutParameterRequest { Name = "/durable/x", Value = "a", Type = ParameterType.String });
            await ssm.PutParameterAsync(new PutParameterRequest { Name = "/durable/x", Value = "b", Overwrite = true });
            await ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = "/durable/x", ParameterVersion = 1, Labels = ["old"] });
        }

        await using var second = await Start();
        var after = Client(second);
        Assert.Equal("b", (await after.GetParameterAsync(new GetParameterRequest { Name = "/durable/x" })).Parameter.Value);
        Assert.Equal("a", (await after.GetParameterAsync(new GetParameterRequest { Name = "/durable/x:old" })).Parameter.Value);
    }
}
