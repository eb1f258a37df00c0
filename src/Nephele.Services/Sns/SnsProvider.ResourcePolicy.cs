using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.State;

namespace Nephele.Services.Sns;

/// <summary>
/// For --enforce-iam: a request acts on its topic under the topic's access policy (the Policy attribute), which may
/// grant other accounts or everyone; the topic's tags are aws:ResourceTag/*.
/// </summary>
public sealed partial class SnsProvider : IResourcePolicySource
{
    public IReadOnlyList<AuthorizationTarget> TargetsOf(RequestContext context, Dictionary<string, object?> input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        if (SnsAuthorization.TopicOf(context.Operation.Name, input, context.Region, context.AccountId) is not { } arn) return [];
        var parts = arn.Split(':');
        var scope = new Scope(parts[4], parts[3]);
        var topic = _topics.Get(scope, parts[5], SnsJsonContext.Default.TopicRecord);
        var policy = topic?.Attributes.GetValueOrDefault("Policy") is { Length: > 0 } text ? PolicyDocument.TryParse(text, out _) : null;
        var keys = SnsAuthorization.KeysOf(input).ResourceTags(topic?.Tags);
        return [new AuthorizationTarget(arn, policy, scope.AccountId) { Context = keys.Build() }];
    }
}
