namespace Nephele.Core.Models;

/// <summary>
/// An operation's requestUri ("/{Bucket}/{Key+}?uploads"), parsed once so rest protocols can match a
/// request path to an operation and read its labels.
/// </summary>
public sealed class UriTemplate
{
    private readonly Segment[] _segments;
    private readonly KeyValuePair<string, string?>[] _query;

    private UriTemplate(Segment[] segments, KeyValuePair<string, string?>[] query) => (_segments, _query) = (segments, query);

    /// <summary>Literal query keys (and values) the template requires, e.g. <c>uploads</c> or <c>list-type=2</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> RequiredQuery => _query;

    /// <summary>Higher is more specific: literal segments and required query keys beat labels.</summary>
    public int Specificity { get; private set; }

    public static UriTemplate Parse(string requestUri)
    {
        var q = requestUri.IndexOf('?', StringComparison.Ordinal);
        var path = q < 0 ? requestUri : requestUri[..q];
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.StartsWith('{') && s.EndsWith('}')
                ? new Segment(s[1..^1].TrimEnd('+'), true, s.EndsWith("+}", StringComparison.Ordinal))
                : new Segment(s, false, false))
            .ToArray();
        var query = q < 0 ? [] : requestUri[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2) is var kv && kv.Length == 2
                ? new KeyValuePair<string, string?>(kv[0], kv[1])
                : new KeyValuePair<string, string?>(p, null))
            .ToArray();
        var template = new UriTemplate(segments, query);
        template.Specificity = segments.Sum(s => s.IsLabel ? (s.Greedy ? 0 : 10) : 100) + query.Length * 1000
            + (path.EndsWith('/') && path.Length > 1 ? 1 : 0);
        return template;
    }

    /// <summary>
    /// Matches a decoded path split into segments and the request's query keys; returns the label
    /// values, or null when the request does not fit the template.
    /// </summary>
    public Dictionary<string, string>? Match(IReadOnlyList<string> pathSegments, Func<string, string?> queryValue, Func<string, bool> hasQuery)
    {
        foreach (var (key, value) in _query)
        {
            // SDKs add x-id=OperationName to some S3 requests; others leave it out, so it only confirms.
            if (key == "x-id") { if (hasQuery(key) && queryValue(key) != value) return null; continue; }
            if (!hasQuery(key)) return null;
            if (value is not null && queryValue(key) != value) return null;
        }
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        for (var t = 0; t < _segments.Length; t++)
        {
            var seg = _segments[t];
            if (seg.Greedy)
            {
                var rest = _segments.Length - t - 1;
                var take = pathSegments.Count - i - rest;
                if (take < 1) return null;
                var value = string.Join('/', pathSegments.Skip(i).Take(take));
                if (value.Length == 0) return null;
                labels[seg.Text] = value;
                i += take;
                continue;
            }
            if (i >= pathSegments.Count) return null;
            if (seg.IsLabel)
            {
                if (pathSegments[i].Length == 0) return null;
                labels[seg.Text] = pathSegments[i];
            }
            else if (!string.Equals(seg.Text, pathSegments[i], StringComparison.Ordinal)) return null;
            i++;
        }
        // A trailing slash after the last label or literal ("/bucket/") still matches.
        return i == pathSegments.Count || (i == pathSegments.Count - 1 && pathSegments[i].Length == 0) ? labels : null;
    }

    private readonly record struct Segment(string Text, bool IsLabel, bool Greedy);
}
