using Nephele.Core.Protocols;

namespace Nephele.Core.Gateway;

/// <summary>
/// A provider whose resources carry their own CORS rules (S3 buckets) implements this to answer browsers
/// itself: the gateway hands it preflight OPTIONS requests, unauthenticated as browsers send them, and
/// lets it add Access-Control-* headers to the answer of any request that carries an Origin header.
/// </summary>
public interface IResourceCors
{
    /// <summary>The answer to a preflight OPTIONS request; refusals are thrown as <see cref="AwsException"/>.</summary>
    AwsResponse Preflight(AwsRequest request);

    /// <summary>Adds the Access-Control-* headers a request with an Origin header earns (nothing when no rule allows it).</summary>
    void AddCorsHeaders(AwsRequest request, HeaderMap responseHeaders);
}
