using Microsoft.AspNetCore.Http;

namespace Nephele.Core.Gateway;

/// <summary>
/// Non-AWS HTTP endpoints that services add next to the AWS APIs (SNS's signing certificate and its recorded
/// SMS messages, LocalStack's <c>/_aws/...</c> paths). Matched by path prefix before the AWS gateway; never signed.
/// </summary>
public sealed class InternalRoutes
{
    private volatile KeyValuePair<string, RequestDelegate>[] _routes = [];
    private readonly Lock _lock = new();

    /// <summary>Sends requests whose path starts with <paramref name="pathPrefix"/> (a whole segment) to <paramref name="handler"/>.</summary>
    public void Map(string pathPrefix, RequestDelegate handler)
    {
        lock (_lock) _routes = [.. _routes, new(pathPrefix, handler)];
    }

    public RequestDelegate? Find(PathString path)
    {
        foreach (var (prefix, handler) in _routes)
            if (path.StartsWithSegments(prefix, StringComparison.Ordinal)) return handler;
        return null;
    }
}
