using Nephele.Core.Protocols;

namespace Nephele.Core.Gateway;

/// <summary>
/// A provider that serves a request AWS documents but its service model does not describe (S3's browser-form
/// POST upload). The gateway offers it each request that no modeled operation matches, after authentication,
/// and sends the response it builds; an <see cref="AwsException"/> it throws is rendered by the service's
/// protocol like any operation's error. IAM authorization is the provider's own business for these requests.
/// </summary>
public interface IUnmodeledOperations
{
    /// <summary>The operation's name (for the request log) when the request is one of them, else null.</summary>
    string? Match(AwsRequest request);

    /// <summary>Serves the request; <see cref="RequestContext.Operation"/> is a model-less operation of the matched name.</summary>
    ValueTask<AwsResponse> HandleAsync(RequestContext context);
}
