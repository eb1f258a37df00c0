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
}
