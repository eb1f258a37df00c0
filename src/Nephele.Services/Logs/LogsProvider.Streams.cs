using System.Globalization;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Logs;

public sealed partial class LogsProvider
{
    private Dictionary<string, object?> CreateLogStream(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = ValidStreamName(input.RequireString("logStreamName"));
        return _store.Transaction(() =>
        {
            var group = RequireGroup(ctx, input.RequireString("logGroupName"));
            if (_store.Stream(ctx.Scope, group.Name, name) is not null) throw LogsErrors.StreamExists();
            _store.PutStream(ctx.Scope, new LogStreamRecord { Group = group.Name, Name = name, CreationTime = ctx.Now.ToUnixTimeMilliseconds() });
            return new Dictionary<string, object?>();
        });
    }

    private Dictionary<string, object?> DeleteLogStream(RequestContext ctx, Dictionary<string, object?> input) => _store.Transaction(() =>
    {
        var group = RequireGroup(ctx, input.RequireString("logGroupName"));
        var stream = _store.Stream(ctx.Scope, group.Name, input.RequireString("logStreamName")) ?? throw LogsErrors.StreamNotFound();
        _store.DeleteStream(ctx.Scope, stream);
        return new Dictionary<string, object?>();
    });

    private Dictionary<string, object?> DescribeLogStreams(RequestContext ctx, Dictionary<string, object?> input)
    {
        var limit = Limit(input, 50);
        var group = GroupFrom(ctx, input);
        var prefix = input.GetString("logStreamNamePrefix");
        var orderBy = input.GetString("orderBy") ?? "LogStreamName";
        if (orderBy is not ("LogStreamName" or "LastEventTime"))
            throw LogsErrors.Constraint(orderBy, "orderBy", "Member must satisfy enum value set: [LogStreamName, LastEventTime]");
        if (orderBy == "LastEventTime" && prefix is not null)
            throw LogsErrors.InvalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
        var descending = input.GetBool("descending") ?? false;
        // Sort keys compare ordinally; LastEventTime orders by the time (streams without events first), then name.
        string SortKey(LogStreamRecord s) => orderBy == "LogStreamName" ? s.Name
            : (s.LastEventTimestamp ?? -1).ToString("D20", CultureInfo.InvariantCulture) + ":" + s.Name;
        var streams = _store.Streams(ctx.Scope, group.Name, prefix).ToList();
        var ordered = descending
            ? streams.OrderByDescending(SortKey, StringComparer.Ordinal).ToList()
            : streams.OrderBy(SortKey, StringComparer.Ordinal).ToList();
        var after = PageToken.Resume(input.GetString("nextToken"), LogsErrors.InvalidToken);
        var start = after is null ? 0 : ordered.FindIndex(s => descending
            ? string.CompareOrdinal(SortKey(s), after) < 0
            : string.CompareOrdinal(SortKey(s), after) > 0);
        if (start < 0) start = ordered.Count;
        var page = ordered.Skip(start).Take(limit).ToList();
        return new()
        {
            ["logStreams"] = page.Select(s => (object?)StreamOutput(ctx.Scope, s)).ToList(),
            ["nextToken"] = start + page.Count < ordered.Count ? PageToken.After(SortKey(page[^1])) : null,
        };
    }

    private static Dictionary<string, object?> StreamOutput(Scope scope, LogStreamRecord s) => new()
    {
        ["logStreamName"] = s.Name,
        ["creationTime"] = s.CreationTime,
        ["firstEventTimestamp"] = s.FirstEventTimestamp,
        ["lastEventTimestamp"] = s.LastEventTimestamp,
        ["lastIngestionTime"] = s.LastIngestionTime,
        ["uploadSequenceToken"] = SequenceToken(s),
        ["arn"] = $"{GroupArn(scope, s.Group)}:log-stream:{s.Name}",
        ["storedBytes"] = 0L, // AWS reports 0 here since 2019; the group carries the size.
    };

    /// <summary>Sequence tokens are accepted and ignored, as AWS does since 2023; we still hand one out.</summary>
    private static string SequenceToken(LogStreamRecord s) => (s.NextSequence + 1).ToString("D56", CultureInfo.InvariantCulture);

    private static string ValidStreamName(string name)
    {
        if (name.Length > 512)
            throw LogsErrors.Constraint(name, "logStreamName", "Member must have length less than or equal to 512");
        if (name.Contains(':') || name.Contains('*'))
            throw LogsErrors.Constraint(name, "logStreamName", "Member must satisfy regular expression pattern: [^:*]*");
        return name;
    }
}
