using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Kms;

public sealed partial class KmsProvider
{
    private KeyRecord Resolve(RequestContext ctx, string identifier, bool allowAlias = true) => _ring.Resolve(ctx.Scope, identifier, allowAlias);

    private KeyRecord Usable(RequestContext ctx, string identifier) => _ring.Usable(ctx.Scope, identifier);

    /// <summary>A key the caller may administer: AWS managed keys are changed only by AWS, and their key policy
    /// allows the account nothing but reading them.</summary>
    private KeyRecord CustomerKey(RequestContext ctx, string identifier, string action, bool allowAlias = false)
    {
        var key = Resolve(ctx, identifier, allowAlias);
        if (key.AwsManaged)
            throw new AwsException("AccessDeniedException",
                $"User: {ctx.Caller.Arn} is not authorized to perform: kms:{action} on resource: {key.Arn} because no resource-based policy allows the kms:{action} action");
        return key;
    }

    /// <summary>One page of items in key order, after the Marker, at most Limit (1-1000, default 100).</summary>
    private static (List<T> Page, string? NextMarker) Page<T>(IEnumerable<T> items, Func<T, string> key, Dictionary<string, object?> input)
    {
        var limit = input.GetInt("Limit") ?? 100;
        if (limit is < 1 or > 1000)
            throw AwsException.Validation($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 1000");
        var ordered = items.OrderBy(key, StringComparer.Ordinal).ToList();
        var start = 0;
        if (input.GetString("Marker") is { } marker)
        {
            start = ordered.FindIndex(i => string.CompareOrdinal(key(i), marker) > 0);
            if (start < 0) start = ordered.Count;
        }
        var page = ordered.Skip(start).Take(limit).ToList();
        var more = start + page.Count < ordered.Count;
        return (page, more ? key(page[^1]) : null);
    }

    private static Dictionary<string, object?> Paged(IEnumerable<object?> items, string member, string? next) => new()
    {
        [member] = items.ToList(),
        ["Truncated"] = next is not null,
        ["NextMarker"] = next,
    };
}
