using System.Text;

namespace Nephele.Core.Policies;

/// <summary>
/// Policy variables in Resource elements and condition values: ${aws:username}, ${s3:prefix}, ${aws:PrincipalTag/team},
/// with an optional default (${aws:username, 'nobody'}), and the escapes ${*}, ${?} and ${$} for literal characters.
/// </summary>
public static class PolicyVariables
{
    /// <summary>The text with every variable replaced; null when a variable has no value and no default, which makes
    /// the element it is in not match (as AWS evaluates it).</summary>
    public static string? Substitute(string text, AuthorizationRequest request, bool escapeWildcards)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(request);
        if (!text.Contains("${", StringComparison.Ordinal)) return text;
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var start = text.IndexOf("${", i, StringComparison.Ordinal);
            var end = start < 0 ? -1 : text.IndexOf('}', start);
            if (start < 0 || end < 0)
            {
                result.Append(text, i, text.Length - i);
                break;
            }
            result.Append(text, i, start - i);
            var body = text[(start + 2)..end];
            var value = body switch
            {
                "*" => escapeWildcards ? Wildcard.LiteralStar.ToString() : "*",
                "?" => escapeWildcards ? Wildcard.LiteralQuestionMark.ToString() : "?",
                "$" => "$",
                _ => Resolve(body, request),
            };
            if (value is null) return null;
            result.Append(value);
            i = end + 1;
        }
        return result.ToString();
    }

    private static string? Resolve(string body, AuthorizationRequest request)
    {
        var comma = body.IndexOf(',', StringComparison.Ordinal);
        var key = (comma < 0 ? body : body[..comma]).Trim();
        var values = request.Values(key);
        if (values is { Count: 1 }) return values[0];
        if (comma < 0) return null;
        var fallback = body[(comma + 1)..].Trim();
        return fallback.Length >= 2 && fallback[0] == '\'' && fallback[^1] == '\'' ? fallback[1..^1] : null;
    }
}
