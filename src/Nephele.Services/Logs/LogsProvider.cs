using System.Text.RegularExpressions;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Logs;

/// <summary>
/// CloudWatch Logs: log groups with retention and tags, log streams, PutLogEvents with AWS's batch rules,
/// GetLogEvents with forward/backward tokens, and FilterLogEvents with the filter pattern syntax.
/// </summary>
public sealed partial class LogsProvider(ServiceEnvironment env) : IAwsProvider
{
    private static readonly int[] RetentionDays =
        [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    private readonly LogStore _store = new(env.State, env.Clock, env.Events);

    public string ServiceName => "logs";

    public void Register(OperationRegistry operations) => operations
        .On("CreateLogGroup", CreateLogGroup)
        .On("DeleteLogGroup", DeleteLogGroup)
        .On("DescribeLogGroups", DescribeLogGroups)
        .On("PutRetentionPolicy", PutRetentionPolicy)
        .On("DeleteRetentionPolicy", DeleteRetentionPolicy)
        .On("CreateLogStream", CreateLogStream)
        .On("DeleteLogStream", DeleteLogStream)
        .On("DescribeLogStreams", DescribeLogStreams)
        .On("PutLogEvents", PutLogEvents)
        .On("GetLogEvents", GetLogEvents)
        .On("FilterLogEvents", FilterLogEvents)
        .On("TagResource", TagResource)
        .On("UntagResource", UntagResource)
        .On("ListTagsForResource", ListTagsForResource)
        .On("TagLogGroup", TagLogGroup)
        .On("UntagLogGroup", UntagLogGroup)
        .On("ListTagsLogGroup", ListTagsLogGroup)
        .On("PutMetricFilter", PutMetricFilter)
        .On("DescribeMetricFilters", DescribeMetricFilters)
        .On("DeleteMetricFilter", DeleteMetricFilter)
        .On("TestMetricFilter", TestMetricFilter)
        .On("PutSubscriptionFilter", PutSubscriptionFilter)
        .On("DescribeSubscriptionFilters", DescribeSubscriptionFilters)
        .On("DeleteSubscriptionFilter", DeleteSubscriptionFilter)
        .On("StartQuery", StartQuery)
        .On("GetQueryResults", GetQueryResults)
        .On("StopQuery", StopQuery)
        .On("DescribeQueries", DescribeQueries)
        .On("GetLogRecord", GetLogRecord)
        .On("PutQueryDefinition", PutQueryDefinition)
        .On("DescribeQueryDefinitions", DescribeQueryDefinitions)
        .On("DeleteQueryDefinition", DeleteQueryDefinition)
        .On("StartLiveTail", StartLiveTail);

    private Dictionary<string, object?> CreateLogGroup(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = ValidGroupName(input.RequireString("logGroupName"));
        var groupClass = input.GetString("logGroupClass") ?? "STANDARD";
        if (groupClass is not ("STANDARD" or "INFREQUENT_ACCESS" or "DELIVERY"))
            throw LogsErrors.Constraint(groupClass, "logGroupClass", "Member must satisfy enum value set: [STANDARD, DELIVERY, INFREQUENT_ACCESS]");
        var tags = input.GetStringMap("tags");
        ValidateTags(tags);
        return _store.Transaction(() =>
        {
            if (_store.Group(ctx.Scope, name) is not null) throw LogsErrors.GroupExists();
            _store.PutGroup(ctx.Scope, new LogGroupRecord
            {
                Name = name,
                CreationTime = ctx.Now.ToUnixTimeMilliseconds(),
                KmsKeyId = input.GetString("kmsKeyId"),
                LogGroupClass = groupClass,
                DeletionProtectionEnabled = input.GetBool("deletionProtectionEnabled") ?? false,
                Tags = tags,
            });
            return new Dictionary<string, object?>();
        });
    }

    private Dictionary<string, object?> DeleteLogGroup(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var group = RequireGroup(ctx, input.RequireString("logGroupName"));
        if (group.DeletionProtectionEnabled)
            throw new AwsException("OperationAbortedException", "Log group deletion protection is enabled.");
        _store.DeleteGroup(ctx.Scope, group.Name);
        return new Dictionary<string, object?>();
    });

    private Dictionary<string, object?> DescribeLogGroups(RequestContext ctx, Dictionary<string, object?> input)
    {
        var limit = Limit(input, 50);
        var prefix = input.GetString("logGroupNamePrefix");
        var pattern = input.GetString("logGroupNamePattern");
        if (prefix is not null && pattern is not null)
            throw LogsErrors.InvalidParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
        var identifiers = input.GetStrings("logGroupIdentifiers");
        var after = PageToken.Resume(input.GetString("nextToken"), LogsErrors.InvalidToken);
        var groupClass = input.GetString("logGroupClass");
        var matching = _store.Groups(ctx.Scope, prefix)
            .Where(g => after is null || string.CompareOrdinal(g.Name, after) > 0)
            .Where(g => pattern is null || g.Name.Contains(pattern, StringComparison.OrdinalIgnoreCase))
            .Where(g => groupClass is null || g.LogGroupClass == groupClass)
            .Where(g => identifiers.Count == 0 || identifiers.Any(i => i == g.Name || i == GroupArn(ctx.Scope, g.Name)))
            .Take(limit + 1)
            .ToList();
        var page = matching.Take(limit).ToList();
        return new()
        {
            ["logGroups"] = page.Select(g => (object?)GroupOutput(ctx.Scope, g)).ToList(),
            ["nextToken"] = matching.Count > limit ? PageToken.After(page[^1].Name) : null,
        };
    }

    private Dictionary<string, object?> PutRetentionPolicy(RequestContext ctx, Dictionary<string, object?> input)
    {
        var days = input.GetInt("retentionInDays")
            ?? throw LogsErrors.Constraint(null, "retentionInDays", "Member must not be null");
        if (!RetentionDays.Contains(days))
            throw LogsErrors.Constraint(days, "retentionInDays",
                $"Member must satisfy enum value set: [{string.Join(", ", RetentionDays)}]");
        return UpdateGroup(ctx, input.RequireString("logGroupName"), g => g with { RetentionInDays = days });
    }

    private Dictionary<string, object?> DeleteRetentionPolicy(RequestContext ctx, Dictionary<string, object?> input) =>
        UpdateGroup(ctx, input.RequireString("logGroupName"), g => g with { RetentionInDays = null });

    private Dictionary<string, object?> UpdateGroup(RequestContext ctx, string name, Func<LogGroupRecord, LogGroupRecord> change) => _store.Transaction(() =>
    {
        _store.PutGroup(ctx.Scope, change(RequireGroup(ctx, name)));
        return new Dictionary<string, object?>();
    });

    private Dictionary<string, object?> GroupOutput(Scope scope, LogGroupRecord g) => new()
    {
        ["logGroupName"] = g.Name,
        ["creationTime"] = g.CreationTime,
        ["retentionInDays"] = g.RetentionInDays is { } days ? (long)days : null,
        ["metricFilterCount"] = 0L,
        ["arn"] = GroupArn(scope, g.Name) + ":*",
        ["logGroupArn"] = GroupArn(scope, g.Name),
        ["storedBytes"] = _store.Streams(scope, g.Name).Sum(s => s.StoredBytes),
        ["kmsKeyId"] = g.KmsKeyId,
        ["logGroupClass"] = g.LogGroupClass,
        ["deletionProtectionEnabled"] = g.DeletionProtectionEnabled,
    };

    internal static string GroupArn(Scope scope, string name) => $"arn:aws:logs:{scope.Region}:{scope.AccountId}:log-group:{name}";

    private LogGroupRecord RequireGroup(RequestContext ctx, string nameOrArn)
    {
        var name = GroupNameOf(nameOrArn);
        return _store.Group(ctx.Scope, name) ?? throw LogsErrors.GroupNotFound();
    }

    /// <summary>The group a request names through logGroupName or logGroupIdentifier (a name or an ARN).</summary>
    private LogGroupRecord GroupFrom(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = input.GetString("logGroupName");
        var identifier = input.GetString("logGroupIdentifier");
        if (name is not null && identifier is not null)
            throw LogsErrors.InvalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        if ((name ?? identifier) is not { Length: > 0 } given)
            throw LogsErrors.InvalidParameter("Should provide either name or ARN of LogGroup.");
        return RequireGroup(ctx, given);
    }

    private static string GroupNameOf(string nameOrArn)
    {
        if (!nameOrArn.StartsWith("arn:", StringComparison.Ordinal)) return nameOrArn;
        var marker = nameOrArn.IndexOf(":log-group:", StringComparison.Ordinal);
        if (marker < 0) return nameOrArn;
        var name = nameOrArn[(marker + ":log-group:".Length)..];
        return name.EndsWith(":*", StringComparison.Ordinal) ? name[..^2] : name;
    }

    private static string ValidGroupName(string name)
    {
        if (name.Length > 512)
            throw LogsErrors.Constraint(name, "logGroupName", "Member must have length less than or equal to 512");
        if (!GroupNamePattern().IsMatch(name))
            throw LogsErrors.Constraint(name, "logGroupName", "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
        return name;
    }

    private static int Limit(Dictionary<string, object?> input, int max)
    {
        var limit = input.GetInt("limit") ?? max;
        if (limit < 1 || limit > max)
            throw LogsErrors.Constraint(limit, "limit", limit < 1 ? "Member must have value greater than or equal to 1" : $"Member must have value less than or equal to {max}");
        return limit;
    }

    [GeneratedRegex(@"^[\.\-_/#A-Za-z0-9]+$")]
    private static partial Regex GroupNamePattern();
}
