using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Sqs;

/// <summary>For --enforce-iam: a request acts on the queue its QueueUrl (or QueueName) names, under that queue's policy.</summary>
public sealed partial class SqsProvider : IResourcePolicySource
{
    public IReadOnlyList<AuthorizationTarget> TargetsOf(RequestContext context, Dictionary<string, object?> input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        if (input.GetString("QueueUrl") is { Length: > 0 } url)
        {
            var (scope, name) = ParseQueueUrl(context, url);
            var queue = _queues.Get(scope, name, SqsJsonContext.Default.QueueRecord);
            var policy = queue?.Attributes.GetValueOrDefault("Policy") is { Length: > 0 } text ? PolicyDocument.TryParse(text, out _) : null;
            return [new AuthorizationTarget(Arn(scope, name), policy, scope.AccountId)];
        }
        if (input.GetString("QueueName") is { Length: > 0 } queueName)
        {
            var owner = input.GetString("QueueOwnerAWSAccountId") is { Length: > 0 } o ? o : context.AccountId;
            return [new AuthorizationTarget(Arn(new(owner, context.Region), queueName), null, owner)];
        }
        return [];
    }
}
