using Microsoft.Extensions.Logging;
using Nephele.Core.Auth;
using Nephele.Core.State;
using Nephele.Core.Time;

namespace Nephele.Core.Gateway;

/// <summary>What a service provider is built with: shared infrastructure, no knowledge of other services.</summary>
public sealed class ServiceEnvironment
{
    public required NepheleOptions Options { get; init; }
    /// <summary>Nephele's clock: system time plus whatever tests advanced it by.</summary>
    public required NepheleClock Clock { get; init; }
    public required IStateStore State { get; init; }
    public required ICredentialStore Credentials { get; init; }
    public required ILoggerFactory Logging { get; init; }
}
