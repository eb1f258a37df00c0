using Microsoft.Extensions.Logging.Abstractions;
using Nephele.Core.Auth;
using Nephele.Core.Gateway;
using Nephele.Services.Sts;

namespace Nephele.Services;

/// <summary>Every service Nephele implements: one line each.</summary>
public static class ServiceCatalog
{
    public static IEnumerable<IAwsProvider> Create(ServiceEnvironment env) =>
    [
        new StsProvider(env),
    ];

    /// <summary>The handlers every provider registers, without a running server (for the coverage table).</summary>
    public static ProviderRegistry Registry() => new(Create(new ServiceEnvironment
    {
        Options = new NepheleOptions { Ephemeral = true },
        Clock = TimeProvider.System,
        Credentials = new CredentialStore(),
        Logging = NullLoggerFactory.Instance,
    }));
}
