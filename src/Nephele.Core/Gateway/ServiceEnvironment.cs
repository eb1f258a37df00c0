using Microsoft.Extensions.Logging;
using Nephele.Core.Auth;

namespace Nephele.Core.Gateway;

/// <summary>What a service provider is built with: shared infrastructure, no knowledge of other services.</summary>
public sealed class ServiceEnvironment
{
    public required NepheleOptions Options { get; init; }
    public required TimeProvider Clock { get; init; }
    public required ICredentialStore Credentials { get; init; }
    public required ILoggerFactory Logging { get; init; }
}
