using Nephele.Core.Gateway;
using Nephele.Core.Policies;
using Nephele.Core.Protocols;

namespace Nephele.Services.Logs;

/// <summary>
/// For --enforce-iam: CloudWatch Logs requests act on their log group (arn:aws:logs:region:account:log-group:NAME) or,
/// for PutLogEvents and GetLogEvents, on the log stream (log-group:NAME:log-stream:STREAM), as logs:&lt;Operation&gt;;
/// the group's tags are aws:ResourceTag/*.
/// </summary>
public sealed partial class LogsProvider : IResourcePolicySource
{
    public IReadOnlyList<AuthorizationTarget> TargetsOf(RequestContext context, Dictionary<string, object?> input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var scope = context.Scope;
        var keys = new ConditionKeys()
            .RequestTags(ConditionKeys.TagsOf(input.GetValueOrDefault("tags")))
            .TagKeys((input.GetValueOrDefault("tagKeys") as List<object?>)?.OfType<string>().ToList());
        var group = input.GetString("logGroupName") ?? input.GetString("logGroupIdentifier");
        if (group is null && input.GetString("resourceArn") is { Length: > 0 } resourceArn)
            return [new AuthorizationTarget(resourceArn) { Context = keys.Build() }];
        if (group is not { Length: > 0 }) return [];
        // logGroupIdentifier may be the group's ARN (with or without the trailing ":*").
        string arn;
        if (group.StartsWith("arn:", StringComparison.Ordinal))
        {
            arn = group.EndsWith(":*", StringComparison.Ordinal) ? group[..^2] : group;
            group = arn[(arn.IndexOf(":log-group:", StringComparison.Ordinal) + ":log-group:".Length)..];
        }
        else arn = $"arn:aws:logs:{scope.Region}:{scope.AccountId}:log-group:{group}";
        keys.ResourceTags(_store.Group(scope, group)?.Tags);
        // Log groups are evaluated in the form DescribeLogGroups reports them ("log-group:NAME:*"), which is why policies
        // grant "log-group:NAME:*"; events act on their stream ("log-group:NAME:log-stream:STREAM").
        arn += context.Operation.Name is "PutLogEvents" or "GetLogEvents" && input.GetString("logStreamName") is { Length: > 0 } stream
            ? ":log-stream:" + stream : ":*";
        return [new AuthorizationTarget(arn) { Context = keys.Build() }];
    }
}
