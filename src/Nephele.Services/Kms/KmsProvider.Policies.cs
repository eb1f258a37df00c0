using System.Security.Cryptography;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Kms;

public sealed partial class KmsProvider
{
    private static readonly string[] GrantOperations =
    [
        "Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "Sign", "Verify",
        "GetPublicKey", "CreateGrant", "RetireGrant", "DescribeKey", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
        "GenerateMac", "VerifyMac", "DeriveSharedSecret",
    ];

    private Dictionary<string, object?> GetKeyPolicy(RequestContext ctx, Dictionary<string, object?> input)
    {
        KeyPolicies.RequireDefaultName(input.GetString("PolicyName"));
        var key = Resolve(ctx, input.RequireString("KeyId"), allowAlias: false);
        return new() { ["Policy"] = key.Policy ?? KeyPolicies.Default(ctx.Scope.AccountId), ["PolicyName"] = KeyPolicies.DefaultName };
    }

    private Dictionary<string, object?> PutKeyPolicy(RequestContext ctx, Dictionary<string, object?> input) => Store.Transaction(() =>
    {
        KeyPolicies.RequireDefaultName(input.GetString("PolicyName"));
        var policy = KeyPolicies.Validate(input.RequireString("Policy"));
        var key = CustomerKey(ctx, input.RequireString("KeyId"), "PutKeyPolicy");
        if (key.KeyState == "PendingDeletion") throw KeyRing.InvalidState(key);
        Store.PutKey(ctx.Scope, key with { Policy = policy });
        return new Dictionary<string, object?>();
    });

    private Dictionary<string, object?> ListKeyPolicies(RequestContext ctx, Dictionary<string, object?> input)
    {
        Resolve(ctx, input.RequireString("KeyId"), allowAlias: false);
        var (page, next) = Page([KeyPolicies.DefaultName], n => n, input);
        return Paged(page, "PolicyNames", next);
    }

    private Dictionary<string, object?> CreateGrant(RequestContext ctx, Dictionary<string, object?> input) => Store.Transaction(() =>
    {
        var operations = input.GetStrings("Operations");
        if (operations.Count == 0)
            throw AwsException.Validation("1 validation error detected: Value '[]' at 'operations' failed to satisfy constraint: Member must have length greater than or equal to 1");
        if (operations.FirstOrDefault(o => !GrantOperations.Contains(o)) is { } bad)
            throw AwsException.Validation($"1 validation error detected: Value '[{string.Join(", ", operations)}]' at 'operations' failed to satisfy constraint: "
                + $"Member must satisfy constraint: [Member must satisfy enum value set: [{string.Join(", ", GrantOperations)}]]");
        var grantee = input.GetString("GranteePrincipal") ?? input.GetString("GranteeServicePrincipal")
            ?? throw AwsException.Validation("1 validation error detected: Value null at 'granteePrincipal' failed to satisfy constraint: Member must not be null");
        var key = Resolve(ctx, input.RequireString("KeyId"), allowAlias: false);
        if (key.KeyState == "PendingDeletion") throw KeyRing.InvalidState(key);
        var constraints = input.GetStruct("Constraints");
        var name = input.GetString("Name");
        // CreateGrant is idempotent for a repeated request with the same name: AWS answers with the existing grant.
        if (name is not null && Store.Grants(ctx.Scope, key.KeyId).FirstOrDefault(g => g.Name == name && g.GranteePrincipal == grantee
                && g.Operations.Order().SequenceEqual(operations.Order())) is { } same)
            return new Dictionary<string, object?> { ["GrantId"] = same.GrantId, ["GrantToken"] = same.GrantToken };
        var grantId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var grant = new GrantRecord
        {
            KeyId = key.KeyId,
            KeyArn = key.Arn,
            GrantId = grantId,
            GrantToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(96)),
            Name = name,
            CreationDate = ctx.Now,
            GranteePrincipal = grantee,
            RetiringPrincipal = input.GetString("RetiringPrincipal") ?? input.GetString("RetiringServicePrincipal"),
            IssuingAccount = $"arn:aws:iam::{ctx.Scope.AccountId}:root",
            Operations = [.. operations],
            EncryptionContextSubset = constraints?.GetStringMap("EncryptionContextSubset") is { Count: > 0 } subset ? subset : null,
            EncryptionContextEquals = constraints?.GetStringMap("EncryptionContextEquals") is { Count: > 0 } equals ? equals : null,
        };
        Store.PutGrant(ctx.Scope, grant);
        return new Dictionary<string, object?> { ["GrantId"] = grant.GrantId, ["GrantToken"] = grant.GrantToken };
    });

    private Dictionary<string, object?> ListGrants(RequestContext ctx, Dictionary<string, object?> input)
    {
        var key = Resolve(ctx, input.RequireString("KeyId"), allowAlias: false);
        var grants = Store.Grants(ctx.Scope, key.KeyId);
        if (input.GetString("GrantId") is { } grantId) grants = grants.Where(g => g.GrantId == grantId);
        if (input.GetString("GranteePrincipal") is { } grantee) grants = grants.Where(g => g.GranteePrincipal == grantee);
        var (page, next) = Page(grants, g => g.GrantId, input);
        return Paged(page.Select(GrantEntry), "Grants", next);
    }

    private Dictionary<string, object?> ListRetirableGrants(RequestContext ctx, Dictionary<string, object?> input)
    {
        var principal = input.GetString("RetiringPrincipal") ?? input.GetString("RetiringServicePrincipal")
            ?? throw AwsException.Validation("1 validation error detected: Value null at 'retiringPrincipal' failed to satisfy constraint: Member must not be null");
        var grants = Store.Grants(ctx.Scope).Where(g => g.RetiringPrincipal == principal);
        var (page, next) = Page(grants, g => $"{g.KeyId}/{g.GrantId}", input);
        return Paged(page.Select(GrantEntry), "Grants", next);
    }

    private Dictionary<string, object?> RetireGrant(RequestContext ctx, Dictionary<string, object?> input) => Store.Transaction(() =>
    {
        GrantRecord grant;
        if (input.GetString("GrantToken") is { } token)
        {
            grant = Store.Grants(ctx.Scope).FirstOrDefault(g => g.GrantToken == token)
                ?? throw new AwsException("InvalidGrantTokenException", "The grant token is not valid.");
        }
        else
        {
            var keyId = input.GetString("KeyId");
            var grantId = input.GetString("GrantId");
            if (keyId is null || grantId is null)
                throw AwsException.Validation("Either a grant token, or both the key ID and the grant ID, must be specified.");
            grant = FindGrant(ctx, keyId, grantId);
        }
        Store.DeleteGrant(ctx.Scope, grant);
        return new Dictionary<string, object?>();
    });

    private Dictionary<string, object?> RevokeGrant(RequestContext ctx, Dictionary<string, object?> input) => Store.Transaction(() =>
    {
        Store.DeleteGrant(ctx.Scope, FindGrant(ctx, input.RequireString("KeyId"), input.RequireString("GrantId")));
        return new Dictionary<string, object?>();
    });

    private GrantRecord FindGrant(RequestContext ctx, string keyId, string grantId)
    {
        var key = Resolve(ctx, keyId, allowAlias: false);
        return Store.GetGrant(ctx.Scope, key.KeyId, grantId)
            ?? throw new AwsException("NotFoundException", $"Grant ID {grantId} not found");
    }

    private static object? GrantEntry(GrantRecord g)
    {
        var entry = new Dictionary<string, object?>
        {
            ["KeyId"] = g.KeyArn,
            ["GrantId"] = g.GrantId,
            ["Name"] = g.Name,
            ["CreationDate"] = g.CreationDate,
            ["GranteePrincipal"] = g.GranteePrincipal,
            ["RetiringPrincipal"] = g.RetiringPrincipal,
            ["IssuingAccount"] = g.IssuingAccount,
            ["Operations"] = g.Operations.ToList<object?>(),
        };
        if (g.EncryptionContextSubset is not null || g.EncryptionContextEquals is not null)
        {
            var constraints = new Dictionary<string, object?>();
            if (g.EncryptionContextSubset is { } subset) constraints["EncryptionContextSubset"] = subset.ToDictionary(p => p.Key, p => (object?)p.Value);
            if (g.EncryptionContextEquals is { } equals) constraints["EncryptionContextEquals"] = equals.ToDictionary(p => p.Key, p => (object?)p.Value);
            entry["Constraints"] = constraints;
        }
        return entry;
    }
}
