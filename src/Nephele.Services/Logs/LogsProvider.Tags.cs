using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Logs;

public sealed partial class LogsProvider
{
    private Dictionary<string, object?> TagResource(RequestContext ctx, Dictionary<string, object?> input)
    {
        var tags = input.GetStringMap("tags");
        ValidateTags(tags);
        return ChangeTags(ctx, GroupOfArn(ctx, input.RequireString("resourceArn")), t =>
        {
            foreach (var (k, v) in tags) t[k] = v;
        });
    }

    private Dictionary<string, object?> UntagResource(RequestContext ctx, Dictionary<string, object?> input)
    {
        var keys = input.GetStrings("tagKeys");
        return ChangeTags(ctx, GroupOfArn(ctx, input.RequireString("resourceArn")), t =>
        {
            foreach (var k in keys) t.Remove(k);
        });
    }

    private Dictionary<string, object?> ListTagsForResource(RequestContext ctx, Dictionary<string, object?> input) =>
        TagsOutput(RequireGroup(ctx, GroupOfArn(ctx, input.RequireString("resourceArn"))));

    private Dictionary<string, object?> TagLogGroup(RequestContext ctx, Dictionary<string, object?> input)
    {
        var tags = input.GetStringMap("tags");
        ValidateTags(tags);
        return ChangeTags(ctx, input.RequireString("logGroupName"), t =>
        {
            foreach (var (k, v) in tags) t[k] = v;
        });
    }

    private Dictionary<string, object?> UntagLogGroup(RequestContext ctx, Dictionary<string, object?> input)
    {
        var keys = input.GetStrings("tags");
        return ChangeTags(ctx, input.RequireString("logGroupName"), t =>
        {
            foreach (var k in keys) t.Remove(k);
        });
    }

    private Dictionary<string, object?> ListTagsLogGroup(RequestContext ctx, Dictionary<string, object?> input) =>
        TagsOutput(RequireGroup(ctx, input.RequireString("logGroupName")));

    private Dictionary<string, object?> ChangeTags(RequestContext ctx, string group, Action<Dictionary<string, string>> change) => _store.Transaction(() =>
    {
        var record = RequireGroup(ctx, group);
        var tags = new Dictionary<string, string>(record.Tags, StringComparer.Ordinal);
        change(tags);
        ValidateTags(tags);
        _store.PutGroup(ctx.Scope, record with { Tags = tags });
        return new Dictionary<string, object?>();
    });

    private static Dictionary<string, object?> TagsOutput(LogGroupRecord group) => new()
    {
        ["tags"] = group.Tags.ToDictionary(t => t.Key, t => (object?)t.Value),
    };

    /// <summary>The log group an ARN names; other resource types (destinations, anomaly detectors) do not exist here.</summary>
    private static string GroupOfArn(RequestContext ctx, string arn)
    {
        var parts = arn.Split(':');
        if (parts.Length < 7 || parts[0] != "arn" || parts[2] != "logs" || parts[5] != "log-group")
            throw LogsErrors.InvalidParameter($"Invalid resource ARN: {arn}");
        if (parts[3] != ctx.Scope.Region || parts[4] != ctx.Scope.AccountId) throw LogsErrors.GroupNotFound();
        return parts[6];
    }

    private static void ValidateTags(Dictionary<string, string> tags)
    {
        if (tags.Count > 50) throw LogsErrors.InvalidParameter("A resource can have no more than 50 tags.");
        foreach (var (key, value) in tags)
        {
            if (key.Length is 0 or > 128) throw LogsErrors.Constraint(key, "tags", "Member must have length less than or equal to 128");
            if (value.Length > 256) throw LogsErrors.Constraint(value, "tags", "Member must have length less than or equal to 256");
            if (key.StartsWith("aws:", StringComparison.Ordinal)) throw LogsErrors.InvalidParameter("Tag keys prefixed with 'aws:' are reserved.");
        }
    }
}
