using Microsoft.AspNetCore.Http;

namespace Nephele.Core.Gateway;

/// <summary>
/// Non-AWS HTTP endpoints that services add next to the AWS APIs (SNS's signing certificate and its recorded
/// SMS messages, LocalStack's <c>/_aws/...</c> paths) and hosts a service serves itself (Lambda's function URLs,
/// <c>&lt;id&gt;.lambda-url.&lt;region&gt;.localhost</c>; S3's website endpoints). Matched by host, then by path prefix,
/// before the AWS gateway; never signed.
/// </summary>
public sealed class InternalRoutes
{
    private volatile KeyValuePair<string, RequestDelegate>[] _routes = [];
    private volatile KeyValuePair<Func<string, bool>, RequestDelegate>[] _hosts = [];
    private readonly Lock _lock = new();

    /// <summary>Sends requests whose path starts with <paramref name="pathPrefix"/> (a whole segment) to <paramref name="handler"/>.</summary>
    public void Map(string pathPrefix, RequestDelegate handler)
    {
        lock (_lock) _routes = [.. _routes, new(pathPrefix, handler)];
    }

    /// <summary>Sends every request whose Host (without port) satisfies <paramref name="matches"/> to <paramref name="handler"/>, whatever its path.</summary>
    public void MapHost(Func<string, bool> matches, RequestDelegate handler)
    {
        lock (_lock) _hosts = [.. _hosts, new(matches, handler)];
    }

    public RequestDelegate? FindHost(HostString host)
    {
        var hosts = _hosts;
        if (hosts.Length == 0 || !host.HasValue) return null;
        foreach (var (matches, handler) in hosts)
            if (matches(host.Host)) return handler;
        return null;
    }

    public RequestDelegate? Find(PathString path)
    {
        foreach (var (prefix, handler) in _routes)
            if (path.StartsWithSegments(prefix, StringComparison.Ordinal)) return handler;
        return null;
    }
}
