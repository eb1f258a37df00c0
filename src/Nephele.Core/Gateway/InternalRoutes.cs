using Microsoft.AspNetCore.Http;

namespace Nephele.Core.Gateway;

/// <summary>
/// Non-AWS HTTP endpoints that services add next to the AWS APIs (SNS's signing certificate and its recorded
/// SMS messages, LocalStack's <c>/_aws/...</c> paths, S3's website endpoints). Matched by Host or path prefix
/// before the AWS gateway; never signed.
/// </summary>
public sealed class InternalRoutes
{
    private volatile KeyValuePair<string, RequestDelegate>[] _routes = [];
    private volatile KeyValuePair<Func<string, bool>, RequestDelegate>[] _hosts = [];
    private readonly Lock _lock = new();

    /// <summary>Sends every request whose Host header satisfies <paramref name="hostMatches"/> to <paramref name="handler"/>.</summary>
    public void MapHost(Func<string, bool> hostMatches, RequestDelegate handler)
    {
        lock (_lock) _hosts = [.. _hosts, new(hostMatches, handler)];
    }

    /// <summary>The handler of a request: by its Host first, then by its path.</summary>
    public RequestDelegate? Find(HttpRequest request)
    {
        var hosts = _hosts;
        if (hosts.Length > 0 && request.Host.Value is { Length: > 0 } host)
        {
            foreach (var (matches, handler) in hosts)
                if (matches(host)) return handler;
        }
        return Find(request.Path);
    }

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
