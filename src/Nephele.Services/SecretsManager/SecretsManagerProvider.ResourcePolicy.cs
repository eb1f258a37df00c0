using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Services.SecretsManager;

/// <summary>
/// For --enforce-iam: a request acts on its secret under the secret's resource policy (PutResourcePolicy), which may
/// grant other accounts; its tags are aws:ResourceTag/* and secretsmanager:ResourceTag/*.
/// </summary>
public sealed partial class SecretsManagerProvider : IResourcePolicySource
{
    public IReadOnlyList<AuthorizationTarget> TargetsOf(RequestContext context, Dictionary<string, object?> input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var operation = context.Operation.Name;
        var ids = SecretsManagerAuthorization.SecretIdsOf(input);
        if (ids.Count == 0) return [];
        var targets = new List<AuthorizationTarget>();
        // BatchGetSecretValue is allowed on "*" and reads each secret with GetSecretValue.
        if (operation == "BatchGetSecretValue") targets.Add(AuthorizationTarget.Any);
        foreach (var id in ids)
        {
            SecretRecord? secret;
            try
            {
                secret = Find(context, id);
            }
            catch (AwsException)
            {
                secret = null; // Not found: the handler reports it once the caller may ask.
            }
            var keys = SecretsManagerAuthorization.KeysOf(input, id);
            if (secret is not null)
                keys.ResourceTags(secret.Tags.Select(t => KeyValuePair.Create(t.Key, t.Value)))
                    .Prefixed("secretsmanager:ResourceTag/", secret.Tags.Select(t => KeyValuePair.Create(t.Key, t.Value)));
            var policy = secret?.ResourcePolicy is { Length: > 0 } text ? PolicyDocument.TryParse(text, out _) : null;
            var arn = secret?.Arn ?? SecretsManagerAuthorization.ArnFor(id, context.Region, context.AccountId);
            // A secret of another account, named by its ARN, is that account's to grant through its resource policy.
            var owner = arn.Split(':', 6) is { Length: 6 } parts && parts[4].Length == 12 ? parts[4] : context.AccountId;
            targets.Add(new AuthorizationTarget(arn, policy, owner)
            {
                Action = operation == "BatchGetSecretValue" ? "secretsmanager:GetSecretValue" : null,
                Context = keys.Build(),
            });
        }
        return targets;
    }
}
