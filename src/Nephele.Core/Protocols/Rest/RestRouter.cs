using System.Runtime.CompilerServices;
using Nephele.Core.Models;

namespace Nephele.Core.Protocols.Rest;

/// <summary>
/// Finds the operation of a rest request from method, path and query, against each operation's
/// requestUri template. The per-model route table is built once: operations grouped by method, most
/// specific first, so the first template that matches wins.
/// </summary>
internal static class RestRouter
{
    private static readonly ConditionalWeakTable<ServiceModel, Dictionary<string, Route[]>> Tables = new();

    private readonly record struct Route(OperationModel Operation, string? FirstLiteral);

    public static OperationModel? Resolve(ServiceModel model, AwsRequest request)
    {
        var table = Tables.GetValue(model, Build);
        if (!table.TryGetValue(request.Method, out var routes)) return null;
        var segments = PathSegments(request.Path);
        var query = request.Query;
        Func<string, string?> queryValue = query.Get;
        Func<string, bool> hasQuery = query.Contains;
        foreach (var route in routes)
        {
            // A cheap literal check first: most templates differ in their first segment.
            if (route.FirstLiteral is not null && !string.Equals(route.FirstLiteral, segments[0], StringComparison.Ordinal)) continue;
            if (route.Operation.Uri.Match(segments, queryValue, hasQuery) is not null) return route.Operation;
        }
        return null;
    }

    /// <summary>The label values of <paramref name="operation"/>'s template for this request, or null when it does not match.</summary>
    public static Dictionary<string, string>? MatchLabels(OperationModel operation, AwsRequest request)
    {
        var query = request.Query;
        return operation.Uri.Match(PathSegments(request.Path), query.Get, query.Contains);
    }

    /// <summary>Path segments, each percent-decoded on its own so an encoded '/' stays inside its label.</summary>
    public static string[] PathSegments(string rawPath)
    {
        var path = rawPath.StartsWith('/') ? rawPath[1..] : rawPath;
        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++)
            if (segments[i].Contains('%', StringComparison.Ordinal)) segments[i] = Uri.UnescapeDataString(segments[i]);
        return segments;
    }

    private static Dictionary<string, Route[]> Build(ServiceModel model)
    {
        var byMethod = new Dictionary<string, List<OperationModel>>(StringComparer.OrdinalIgnoreCase);
        foreach (var op in model.Operations.Values)
        {
            if (!byMethod.TryGetValue(op.HttpMethod, out var list)) byMethod[op.HttpMethod] = list = [];
            list.Add(op);
        }
        var table = new Dictionary<string, Route[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (method, ops) in byMethod)
        {
            // Stable sort: equally specific templates keep model order.
            table[method] = ops.Select(op => new Route(op, FirstLiteral(op.RequestUri)))
                .OrderByDescending(r => r.Operation.Uri.Specificity)
                .ToArray();
        }
        return table;
    }

    private static string? FirstLiteral(string requestUri)
    {
        var q = requestUri.IndexOf('?', StringComparison.Ordinal);
        var path = (q < 0 ? requestUri : requestUri[..q]).TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? path : path[..slash];
        return first.StartsWith('{') ? null : first;
    }
}
