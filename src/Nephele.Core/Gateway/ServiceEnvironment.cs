using Microsoft.Extensions.Logging;
using Nephele.Core.Auth;
using Nephele.Core.Events;
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
    /// <summary>Deliveries and events between services (SNS to SQS, later Lambda); one per server.</summary>
    public EventBus Events { get; init; } = new();
    /// <summary>Non-AWS HTTP endpoints a service serves next to its API (e.g. SNS's signing certificate).</summary>
    public InternalRoutes Routes { get; init; } = new();
    /// <summary>Where this Nephele listens, for work that runs outside any request (a function invoked by SNS needs AWS_ENDPOINT_URL).</summary>
    public ServerAddress Address { get; init; } = new();
    /// <summary>The service models, for a service that calls its own handlers internally (Lambda's function URLs invoke
    /// through Invoke); null where no server hosts the providers.</summary>
    public ModelCatalog? Models { get; init; }
}

/// <summary>The address the server listens on; known once it has started (port 0 picks a free port).</summary>
public sealed class ServerAddress
{
    /// <summary>E.g. http://127.0.0.1:4566, without a trailing slash; null before the server started.</summary>
    public string? Endpoint { get; internal set; }
}
