using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Services.Kms;

/// <summary>
/// For --enforce-iam: a request acts on the key it names (or whose ciphertext it carries), under the key policy. The
/// default key policy names the account, which hands the decision to IAM policies, as in AWS.
/// </summary>
public sealed partial class KmsProvider : IResourcePolicySource
{
    public IReadOnlyList<AuthorizationTarget> TargetsOf(RequestContext context, Dictionary<string, object?> input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            var identifier = input.GetString("KeyId") ?? input.GetString("SourceKeyId")
                ?? (input.GetBlob("CiphertextBlob") is { } blob && Ciphertext.IsSealed(blob) ? Ciphertext.Read(blob).KeyId : null);
            if (identifier is null) return [];
            var key = Resolve(context, identifier);
            var policy = key.Policy is { } text ? PolicyDocument.TryParse(text, out _) : null;
            return [new AuthorizationTarget(key.Arn, policy, context.AccountId) { Context = ConditionKeysOf(input) }];
        }
        catch (AwsException)
        {
            // An unknown key or a malformed ciphertext is the handler's error to report.
            return [];
        }
    }

    /// <summary>kms:EncryptionContext:&lt;k&gt; and kms:EncryptionContextKeys of requests that carry an encryption
    /// context, and the request's key spec and algorithms.</summary>
    private static IReadOnlyDictionary<string, IReadOnlyList<string>>? ConditionKeysOf(Dictionary<string, object?> input)
    {
        var keys = new ConditionKeys();
        var encryptionContext = (input.GetValueOrDefault("EncryptionContext") ?? input.GetValueOrDefault("DestinationEncryptionContext")) as Dictionary<string, object?>;
        if (encryptionContext is not null)
        {
            var pairs = encryptionContext.Select(p => KeyValuePair.Create(p.Key, p.Value as string ?? "")).ToList();
            keys.Prefixed("kms:EncryptionContext:", pairs).Add("kms:EncryptionContextKeys", pairs.ConvertAll(p => p.Key));
        }
        return keys.Add("kms:EncryptionAlgorithm", input.GetString("EncryptionAlgorithm"))
            .Add("kms:SigningAlgorithm", input.GetString("SigningAlgorithm"))
            .Add("kms:MacAlgorithm", input.GetString("MacAlgorithm"))
            .Add("kms:KeySpec", input.GetString("KeySpec") ?? input.GetString("KeyPairSpec"))
            .Add("kms:GrantOperations", (input.GetValueOrDefault("Operations") as List<object?>)?.OfType<string>().ToList())
            .Add("kms:GranteePrincipal", input.GetString("GranteePrincipal"))
            .Build();
    }
}
