using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Kms;

public sealed partial class KmsProvider
{
    private Dictionary<string, object?> CreateAlias(RequestContext ctx, Dictionary<string, object?> input) => Store.Transaction(() =>
    {
        var name = AliasName(input);
        var key = Resolve(ctx, input.RequireString("TargetKeyId"), allowAlias: false);
        if (Store.GetAlias(ctx.Scope, name) is not null)
            throw new AwsException("AlreadyExistsException", $"An alias with the name {AliasArn(ctx, name)} already exists");
        Store.PutAlias(ctx.Scope, new AliasRecord { AliasName = name, TargetKeyId = key.KeyId, CreationDate = ctx.Now, LastUpdatedDate = ctx.Now });
        return new Dictionary<string, object?>();
    });

    private Dictionary<string, object?> UpdateAlias(RequestContext ctx, Dictionary<string, object?> input) => Store.Transaction(() =>
    {
        var name = AliasName(input);
        var key = Resolve(ctx, input.RequireString("TargetKeyId"), allowAlias: false);
        var alias = Store.GetAlias(ctx.Scope, name)
            ?? throw new AwsException("NotFoundException", $"Alias {AliasArn(ctx, name)} is not found.");
        Store.PutAlias(ctx.Scope, alias with { TargetKeyId = key.KeyId, LastUpdatedDate = ctx.Now });
        return new Dictionary<string, object?>();
    });

    private Dictionary<string, object?> DeleteAlias(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = AliasName(input);
        if (Store.GetAlias(ctx.Scope, name) is null || !Store.DeleteAlias(ctx.Scope, name))
            throw new AwsException("NotFoundException", $"Alias {AliasArn(ctx, name)} is not found.");
        return [];
    }

    private Dictionary<string, object?> ListAliases(RequestContext ctx, Dictionary<string, object?> input)
    {
        IEnumerable<AliasRecord> aliases = Store.Aliases(ctx.Scope);
        if (input.GetString("KeyId") is { } keyId)
        {
            var key = Resolve(ctx, keyId, allowAlias: false);
            aliases = aliases.Where(a => a.TargetKeyId == key.KeyId);
        }
        var (page, next) = Page(aliases, a => a.AliasName, input);
        return Paged(page.Select(a => (object?)new Dictionary<string, object?>
        {
            ["AliasName"] = a.AliasName,
            ["AliasArn"] = AliasArn(ctx, a.AliasName),
            ["TargetKeyId"] = a.TargetKeyId,
            ["CreationDate"] = a.CreationDate,
            ["LastUpdatedDate"] = a.LastUpdatedDate,
        }), "Aliases", next);
    }

    private Dictionary<string, object?> TagResource(RequestContext ctx, Dictionary<string, object?> input) => Store.Transaction(() =>
    {
        var key = CustomerKey(ctx, input.RequireString("KeyId"), "TagResource");
        var tags = new Dictionary<string, string>(key.Tags, StringComparer.Ordinal);
        foreach (var (k, v) in KmsTags.Read(input)) tags[k] = v;
        Store.PutKey(ctx.Scope, key with { Tags = tags });
        return new Dictionary<string, object?>();
    });

    private Dictionary<string, object?> UntagResource(RequestContext ctx, Dictionary<string, object?> input) => Store.Transaction(() =>
    {
        var key = CustomerKey(ctx, input.RequireString("KeyId"), "UntagResource");
        var tags = new Dictionary<string, string>(key.Tags, StringComparer.Ordinal);
        foreach (var k in input.GetStrings("TagKeys")) tags.Remove(k);
        Store.PutKey(ctx.Scope, key with { Tags = tags });
        return new Dictionary<string, object?>();
    });

    private Dictionary<string, object?> ListResourceTags(RequestContext ctx, Dictionary<string, object?> input)
    {
        var key = Resolve(ctx, input.RequireString("KeyId"), allowAlias: false);
        var (page, next) = Page(key.Tags, t => t.Key, input);
        return Paged(KmsTags.Write(page), "Tags", next);
    }

    /// <summary>The AliasName member: alias/ followed by a name; the alias/aws/ prefix is reserved for AWS managed keys.</summary>
    private static string AliasName(Dictionary<string, object?> input)
    {
        var name = input.RequireString("AliasName");
        if (!name.StartsWith("alias/", StringComparison.Ordinal) || name.Length == 6)
            throw AwsException.Validation("Alias must start with the prefix \"alias/\". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
        if (name.StartsWith("alias/aws/", StringComparison.Ordinal))
            throw new AwsException("NotAuthorizedException", $"Cannot create, update or delete an alias with the reserved prefix alias/aws/: {name}");
        return name;
    }

    private static string AliasArn(RequestContext ctx, string name) => $"arn:aws:kms:{ctx.Scope.Region}:{ctx.Scope.AccountId}:{name}";
}
