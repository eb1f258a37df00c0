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
    public AuthorizationTarget TargetOf(RequestContext context, Dictionary<string, object?> input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            var identifier = input.GetString("KeyId") ?? input.GetString("SourceKeyId")
                ?? (input.GetBlob("CiphertextBlob") is { } blob && Ciphertext.IsSealed(blob) ? Ciphertext.Read(blob).KeyId : null);
            if (identifier is null) return AuthorizationTarget.Any;
            var key = Resolve(context, identifier);
            var policy = key.Policy is { } text ? PolicyDocument.TryParse(text, out _) : null;
            return new AuthorizationTarget(key.Arn, policy, context.AccountId);
        }
        catch (AwsException)
        {
            // An unknown key or a malformed ciphertext is the handler's error to report.
            return AuthorizationTarget.Any;
        }
    }
}
