using Nephele.Core.Protocols;

namespace Nephele.Core.Gateway;

/// <summary>
/// Finds the service a request is for, in DESIGN.md's order: SigV4 signing name, X-Amz-Target prefix,
/// Host, path, then Action= in a form body. Services that share a signing name (dynamodb and
/// dynamodbstreams, apigateway and apigatewayv2, s3 and s3control, ...) are told apart by the later clues.
/// </summary>
public sealed class ServiceDetector(ModelCatalog catalog)
{
    private readonly ServiceIndex _index = catalog.Index;

    // Unsigned requests whose form Action names operations of several query services.
    private static readonly string[] ActionPreference = ["sts", "sqs", "sns", "iam", "ec2"];

    public ServiceInfo? Detect(AwsRequest request, string? signingName)
    {
        var target = request.Headers.Get("X-Amz-Target");
        var targetPrefix = target is null ? null : target[..Math.Max(0, target.LastIndexOf('.'))];

        IReadOnlyList<ServiceInfo> candidates = signingName is null ? [] : _index.BySigningName(signingName);
        if (candidates.Count == 1) return candidates[0];
        if (candidates.Count > 1) return Disambiguate(candidates, request, targetPrefix, target, signingName!);

        if (targetPrefix is { Length: > 0 })
        {
            var byTarget = _index.ByTargetPrefix(targetPrefix);
            if (byTarget.Count > 0) return Disambiguate(byTarget, request, targetPrefix, target, byTarget[0].Name);
        }
        if (S3Addressing.IsVirtualHost(request.Host)) return _index.Find("s3");
        if (FirstPathSegment(request.Path) is { Length: > 0 } segment && _index.ByPathPrefix(segment) is { Count: > 0 } byPath)
            return byPath.Count == 1 ? byPath[0] : Disambiguate(byPath, request, targetPrefix, target, byPath[0].Name);
        if (FormAction(request) is { } action && _index.ByAction(action) is { Count: > 0 } byAction)
            return byAction.OrderBy(s => Array.IndexOf(ActionPreference, s.Name) is var i && i < 0 ? int.MaxValue : i).First();
        // Anonymous S3 requests (public buckets, browser uploads) carry no other clue.
        return _index.Find("s3");
    }

    private ServiceInfo Disambiguate(IReadOnlyList<ServiceInfo> candidates, AwsRequest request, string? targetPrefix, string? target, string preferred)
    {
        if (targetPrefix is not null)
        {
            var byTarget = candidates.Where(s => s.TargetPrefix == targetPrefix).ToArray();
            if (byTarget.Length == 1) return byTarget[0];
            if (byTarget.Length > 1)
            {
                // Timestream write and query share signing name and target prefix; the operation tells them apart.
                var operation = target is null ? "" : target[(target.LastIndexOf('.') + 1)..];
                var owners = byTarget.Where(s => catalog.Get(s).FindOperation(operation) is not null).ToArray();
                if (owners.Length == 1) return owners[0];
                var hostHint = owners.FirstOrDefault(s => request.Host.StartsWith(s.EndpointPrefix + ".", StringComparison.OrdinalIgnoreCase));
                return hostHint ?? owners.FirstOrDefault() ?? byTarget[0];
            }
        }
        if (candidates.Any(s => s.Name == "s3control") && S3Addressing.IsS3ControlRequest(request))
            return candidates.First(s => s.Name == "s3control");
        if (FirstPathSegment(request.Path) is { Length: > 0 } segment)
        {
            // Prefer the service that owns the path prefix uniquely (apigatewayv2 "v2", sesv2 "v2", appconfigdata "configuration").
            var byPath = candidates.Where(s => s.PathPrefixes.Contains(segment, StringComparer.Ordinal)).ToArray();
            if (byPath.Length == 1) return byPath[0];
        }
        return candidates.FirstOrDefault(s => s.Name == preferred) ?? candidates[0];
    }

    internal static string? FirstPathSegment(string path)
    {
        var p = path.AsSpan().TrimStart('/');
        var slash = p.IndexOf('/');
        return (slash < 0 ? p : p[..slash]).ToString();
    }

    private static string? FormAction(AwsRequest request)
    {
        if (request.Query.Get("Action") is { } fromQuery) return fromQuery;
        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true) return null;
        return QueryMap.Parse(request.BodyText).Get("Action");
    }
}
