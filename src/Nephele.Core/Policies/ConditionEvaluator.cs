using System.Globalization;
using System.Net;

namespace Nephele.Core.Policies;

/// <summary>
/// A statement's Condition block against a request: every operator must hold, every key within an operator must
/// hold, and a key holds when the request's value matches any of the policy's values. A key absent from the
/// request fails a positive operator and satisfies a negated one; "...IfExists" makes absence a match;
/// ForAllValues/ForAnyValue compare every value of a multivalued key.
/// </summary>
public static class ConditionEvaluator
{
    public static bool Matches(IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> condition,
        AuthorizationRequest request)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(request);
        foreach (var (op, keys) in condition)
            foreach (var (key, values) in keys)
                if (!Holds(op, key, values, request))
                    return false;
        return true;
    }

    private static bool Holds(string op, string key, IReadOnlyList<string> policyValues, AuthorizationRequest request)
    {
        var context = request.Values(key);
        var name = op;
        var set = SetOperator.None;
        if (name.StartsWith("ForAllValues:", StringComparison.OrdinalIgnoreCase))
        {
            set = SetOperator.All;
            name = name["ForAllValues:".Length..];
        }
        else if (name.StartsWith("ForAnyValue:", StringComparison.OrdinalIgnoreCase))
        {
            set = SetOperator.Any;
            name = name["ForAnyValue:".Length..];
        }
        var ifExists = name.EndsWith("IfExists", StringComparison.OrdinalIgnoreCase);
        if (ifExists) name = name[..^"IfExists".Length];

        if (name.Equals("Null", StringComparison.OrdinalIgnoreCase))
        {
            var absent = context is not { Count: > 0 };
            return policyValues.Any(v => bool.TryParse(v, out var wantAbsent) && wantAbsent == absent);
        }
        if (!Operators.TryGetValue(name, out var test))
            return false; // An operator IAM does not know never matches.
        var expanded = policyValues.Select(v => PolicyVariables.Substitute(v, request, test.Wildcards)).OfType<string>().ToList();

        switch (set)
        {
            // True when every request value matches (and vacuously when the key is absent).
            case SetOperator.All:
                return context is not { Count: > 0 } || context.All(c => Single(test, c, expanded));
            case SetOperator.Any:
                return context is { Count: > 0 } && context.Any(c => Single(test, c, expanded));
        }
        if (context is not { Count: > 0 }) return ifExists || test.Negated;
        return context.Any(c => Single(test, c, expanded));
    }

    private static bool Single(Operator op, string contextValue, List<string> policyValues)
    {
        var any = policyValues.Any(p => op.Match(contextValue, p));
        return op.Negated ? !any : any;
    }

    private enum SetOperator { None, All, Any }

    /// <summary>How one request value compares with one policy value; Wildcards when the policy value is a pattern.</summary>
    private sealed record Operator(Func<string, string, bool> Match, bool Negated = false, bool Wildcards = false);

    private static readonly Dictionary<string, Operator> Operators = new(StringComparer.OrdinalIgnoreCase)
    {
        ["StringEquals"] = new((c, p) => string.Equals(c, p, StringComparison.Ordinal)),
        ["StringNotEquals"] = new((c, p) => string.Equals(c, p, StringComparison.Ordinal), true),
        ["StringEqualsIgnoreCase"] = new((c, p) => string.Equals(c, p, StringComparison.OrdinalIgnoreCase)),
        ["StringNotEqualsIgnoreCase"] = new((c, p) => string.Equals(c, p, StringComparison.OrdinalIgnoreCase), true),
        ["StringLike"] = new((c, p) => Wildcard.Matches(p, c), Wildcards: true),
        ["StringNotLike"] = new((c, p) => Wildcard.Matches(p, c), true, true),
        ["NumericEquals"] = new((c, p) => Compare(c, p, ParseNumber) == 0),
        ["NumericNotEquals"] = new((c, p) => Compare(c, p, ParseNumber) == 0, true),
        ["NumericLessThan"] = new((c, p) => Compare(c, p, ParseNumber) < 0),
        ["NumericLessThanEquals"] = new((c, p) => Compare(c, p, ParseNumber) is < 0 or 0),
        ["NumericGreaterThan"] = new((c, p) => Compare(c, p, ParseNumber) is > 0 and not int.MaxValue),
        ["NumericGreaterThanEquals"] = new((c, p) => Compare(c, p, ParseNumber) is >= 0 and not int.MaxValue),
        ["DateEquals"] = new((c, p) => Compare(c, p, ParseDate) == 0),
        ["DateNotEquals"] = new((c, p) => Compare(c, p, ParseDate) == 0, true),
        ["DateLessThan"] = new((c, p) => Compare(c, p, ParseDate) < 0),
        ["DateLessThanEquals"] = new((c, p) => Compare(c, p, ParseDate) is < 0 or 0),
        ["DateGreaterThan"] = new((c, p) => Compare(c, p, ParseDate) is > 0 and not int.MaxValue),
        ["DateGreaterThanEquals"] = new((c, p) => Compare(c, p, ParseDate) is >= 0 and not int.MaxValue),
        ["Bool"] = new((c, p) => bool.TryParse(c, out var a) && bool.TryParse(p, out var b) && a == b),
        ["BinaryEquals"] = new((c, p) => string.Equals(c, p, StringComparison.Ordinal)),
        ["IpAddress"] = new(InRange),
        ["NotIpAddress"] = new(InRange, true),
        ["ArnEquals"] = new(ArnLike, Wildcards: true),
        ["ArnLike"] = new(ArnLike, Wildcards: true),
        ["ArnNotEquals"] = new(ArnLike, true, true),
        ["ArnNotLike"] = new(ArnLike, true, true),
    };

    /// <summary>-1, 0 or 1; int.MaxValue when either side does not parse (which matches no comparison).</summary>
    private static int Compare<T>(string contextValue, string policyValue, Func<string, T?> parse) where T : struct, IComparable<T> =>
        parse(contextValue) is { } a && parse(policyValue) is { } b ? Math.Sign(a.CompareTo(b)) : int.MaxValue;

    private static decimal? ParseNumber(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>Dates are ISO 8601 or epoch seconds, as IAM accepts both.</summary>
    private static DateTimeOffset? ParseDate(string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epoch) ? DateTimeOffset.FromUnixTimeSeconds(epoch)
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date
        : null;

    /// <summary>ARNs compare segment by segment; wildcards do not cross the ':' between the first five segments.</summary>
    private static bool ArnLike(string contextValue, string policyValue)
    {
        var c = contextValue.Split(':', 6);
        var p = policyValue.Split(':', 6);
        if (c.Length != 6 || p.Length != 6) return policyValue == "*" || Wildcard.Matches(policyValue, contextValue);
        for (var i = 0; i < 6; i++)
            if (!Wildcard.Matches(p[i], c[i]))
                return false;
        return true;
    }

    private static bool InRange(string contextValue, string policyValue)
    {
        if (!IPAddress.TryParse(contextValue, out var address)) return false;
        var network = policyValue.Contains('/', StringComparison.Ordinal) ? policyValue
            : policyValue + (policyValue.Contains(':', StringComparison.Ordinal) ? "/128" : "/32");
        return IPNetwork.TryParse(network, out var range) && range.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }
}
