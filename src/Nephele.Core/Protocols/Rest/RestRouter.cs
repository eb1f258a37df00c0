using System.Runtime.CompilerServices;
using Nephele.Core.Models;

namespace Nephele.Core.Protocols.Rest;

/// <summary>
/// Finds the operation of a rest request from method, path and query, against each operation's
/// requestUri template. The per-model route table is built once: operations grouped by method, most
/// specific first, so the first template that matches wins. S3 puts many operations on one template and
/// tells them apart by required query members and headers (uploadId, partNumber, x-amz-copy-source), so
/// those must be present and count towards specificity; deprecated twins yield to their successors.
/// </summary>
internal static class RestRouter
{
    private static readonly ConditionalWeakTable<ServiceModel, Dictionary<string, Route[]>> Tables = new();

    private sealed record Route(OperationModel Operation, string? FirstLiteral, string[] RequiredQuery, string[] RequiredHeaders, string[] QueryMembers)
    {
        public int Score => Operation.Uri.Specificity + 1000 * (RequiredQuery.Length + RequiredHeaders.Length);

        public bool Fits(AwsRequest request)
        {
            foreach (var key in RequiredQuery)
                if (!request.Query.Contains(key)) return false;
            foreach (var header in RequiredHeaders)
                if (!request.Headers.Contains(header)) return false;
            return true;
        }

        /// <summary>How many of the request's query keys this operation declares: breaks ties between twins (ListBuckets / ListDirectoryBuckets).</summary>
        public int Affinity(QueryMap query)
        {
            var n = 0;
            foreach (var key in QueryMembers)
                if (query.Contains(key)) n++;
            return n;
        }
    }

    public static OperationModel? Resolve(ServiceModel model, AwsRequest request)
    {
        var table = Tables.GetValue(model, Build);
        if (!table.TryGetValue(request.Method, out var routes)) return null;
        var segments = PathSegments(request.Path);
        var query = request.Query;
        Func<string, string?> queryValue = query.Get;
        Func<string, bool> hasQuery = query.Contains;
        Route? best = null;
        foreach (var route in routes)
        {
            if (best is not null && route.Score < best.Score) break;
            // A cheap literal check first: most templates differ in their first segment.
            if (route.FirstLiteral is not null && !string.Equals(route.FirstLiteral, segments[0], StringComparison.Ordinal)) continue;
            if (!route.Fits(request) || route.Operation.Uri.Match(segments, queryValue, hasQuery) is null) continue;
            if (best is null || route.Affinity(query) > best.Affinity(query)) best = route;
        }
        return best?.Operation;
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
            // Stable sort: equally specific templates keep model order, deprecated ones after the rest.
            table[method] = ops.Select(ToRoute)
                .OrderByDescending(r => r.Score)
                .ThenBy(r => r.Operation.Deprecated)
                .ToArray();
        }
        return table;
    }

    private static Route ToRoute(OperationModel op)
    {
        var input = op.Input;
        string[] Required(MemberLocation location) => input is null ? [] : input.Members
            .Where(m => m.Location == location && input.Required.Contains(m.Name)).Select(m => m.WireName).ToArray();
        var queryMembers = input is null ? [] : input.Members
            .Where(m => m.Location == MemberLocation.QueryString && m.Shape.Type != ShapeType.Map).Select(m => m.WireName).ToArray();
        return new Route(op, FirstLiteral(op.RequestUri), Required(MemberLocation.QueryString), Required(MemberLocation.Header), queryMembers);
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
