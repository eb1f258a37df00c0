using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Kms;

public sealed partial class KmsProvider
{
    /// <summary>The key a KeyId names: a key id, key ARN, alias name or alias ARN (aliases only where allowed).</summary>
    private KeyRecord Resolve(RequestContext ctx, string identifier, bool allowAlias = true)
    {
        var arnPrefix = $"arn:aws:kms:{ctx.Scope.Region}:{ctx.Scope.AccountId}:";
        var local = identifier.StartsWith(arnPrefix, StringComparison.Ordinal) ? identifier[arnPrefix.Length..] : identifier;
        if (local.StartsWith("alias/", StringComparison.Ordinal))
        {
            if (!allowAlias)
                throw AwsException.Validation($"1 validation error detected: Value '{identifier}' at 'keyId' failed to satisfy constraint: Member must be a key id or key ARN");
            var alias = _store.GetAlias(ctx.Scope, local)
                ?? throw new AwsException("NotFoundException", $"Alias {arnPrefix}{local} is not found.");
            return _store.GetKey(ctx.Scope, alias.TargetKeyId)!;
        }
        var id = local.StartsWith("key/", StringComparison.Ordinal) ? local[4..] : local;
        return _store.GetKey(ctx.Scope, id)
            ?? throw new AwsException("NotFoundException", $"Key '{arnPrefix}key/{id}' does not exist");
    }

    /// <summary>A key that can encrypt and decrypt now: enabled, not disabled or pending deletion.</summary>
    private KeyRecord Usable(RequestContext ctx, string identifier)
    {
        var key = Resolve(ctx, identifier);
        return key.KeyState switch
        {
            "Enabled" => key,
            "Disabled" => throw new AwsException("DisabledException", $"{key.Arn} is disabled."),
            _ => throw InvalidState(key),
        };
    }

    private static AwsException InvalidState(KeyRecord key) =>
        new("KMSInvalidStateException", key.KeyState == "PendingDeletion" ? $"{key.Arn} is pending deletion." : $"{key.Arn} is not pending deletion.");

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
