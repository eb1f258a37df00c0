using Amazon;
using Amazon.Runtime;
using Nephele.Core.Gateway;
using Nephele.Services;

namespace Nephele.Services.Tests;

/// <summary>A real Nephele on a free loopback port, in memory, shared by the tests of a class.</summary>
public class NepheleFixture : IAsyncLifetime
{
    public NepheleServer Server { get; private set; } = null!;
    public string Endpoint => Server.Endpoint.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        var options = new NepheleOptions { Port = 0, Ephemeral = true, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning };
        Configure(options);
        Server = NepheleServer.Create(options, ServiceCatalog.Create);
        await Server.StartAsync();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>Options beyond the defaults, for fixtures that test a setting (such as IAM enforcement).</summary>
    protected virtual void Configure(NepheleOptions options)
    {
    }

    /// <summary>An SDK client pointed at this Nephele, signed with the given access key (default "test").</summary>
    public T Client<T>(Func<AWSCredentials, ClientConfig, T> create, ClientConfig config, string accessKey = "test", string secret = "test",
        string region = "us-east-1")
    {
        config.ServiceURL = Endpoint;
        config.AuthenticationRegion = region;
        config.MaxErrorRetry = 0;
        return create(new BasicAWSCredentials(accessKey, secret), config);
    }

    public HttpClient Http() => new() { BaseAddress = Server.Endpoint };
}

/// <summary>A Nephele that verifies every signature (--enforce-signatures).</summary>
public sealed class SignatureEnforcingFixture : NepheleFixture
{
    protected override void Configure(NepheleOptions options) => options.EnforceSignatures = true;
}
