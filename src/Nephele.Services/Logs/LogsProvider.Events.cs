using System.Globalization;
using System.Text;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Logs;

public sealed partial class LogsProvider
{
    private const int MaxBatchBytes = 1_048_576;
    private const int EventOverheadBytes = 26;
    private const int MaxEventBytes = 262_144;
    private const long Day = 86_400_000L;

    private Dictionary<string, object?> PutLogEvents(RequestContext ctx, Dictionary<string, object?> input)
    {
        var raw = input.GetList("logEvents")?.OfType<Dictionary<string, object?>>().ToList() ?? [];
        if (raw.Count == 0)
            throw LogsErrors.Constraint("[]", "logEvents", "Member must have length greater than or equal to 1");
        if (raw.Count > 10_000)
            throw LogsErrors.Constraint(raw.Count, "logEvents", "Member must have length less than or equal to 10000");
        var events = raw.Select(e => (Timestamp: e.GetLong("timestamp") ?? 0, Message: e.GetString("message") ?? "")).ToList();
        long batchBytes = 0;
        for (var i = 0; i < events.Count; i++)
        {
            var size = Encoding.UTF8.GetByteCount(events[i].Message) + EventOverheadBytes;
            if (events[i].Message.Length == 0)
                throw LogsErrors.Constraint("", $"logEvents.{i + 1}.member.message", "Member must have length greater than or equal to 1");
            if (size > MaxEventBytes) throw LogsErrors.InvalidParameter("Log event too large.");
            batchBytes += size;
            if (i > 0 && events[i].Timestamp < events[i - 1].Timestamp)
                throw LogsErrors.InvalidParameter("Log events in a single PutLogEvents request must be in chronological order.");
        }
        if (batchBytes > MaxBatchBytes)
            throw LogsErrors.InvalidParameter($"Upload too large: {batchBytes} bytes exceeds limit of {MaxBatchBytes}");
        if (events[^1].Timestamp - events[0].Timestamp > Day)
            throw LogsErrors.InvalidParameter("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");

        return _store.Transaction(() =>
        {
            var group = RequireGroup(ctx, input.RequireString("logGroupName"));
            var stream = _store.Stream(ctx.Scope, group.Name, input.RequireString("logStreamName")) ?? throw LogsErrors.StreamNotFound();
            var now = ctx.Now.ToUnixTimeMilliseconds();
            var tooOld = now - 14 * Day;
            var expired = _store.OldestVisible(group);
            var tooNew = now + 2 * 3_600_000L;
            var accepted = new List<(long, string)>();
            int? tooOldEnd = null, expiredEnd = null, tooNewStart = null;
            for (var i = 0; i < events.Count; i++)
            {
                var t = events[i].Timestamp;
                // The indexes follow AWS: end indexes are exclusive, the start index inclusive.
                if (t < expired) expiredEnd = i + 1;
                else if (t < tooOld) tooOldEnd = i + 1;
                else if (t > tooNew) tooNewStart ??= i;
                else accepted.Add(events[i]);
            }
            stream = _store.Append(ctx.Scope, group, stream, accepted);
            Dictionary<string, object?>? rejected = null;
            if (tooOldEnd is not null || expiredEnd is not null || tooNewStart is not null)
            {
                rejected = new()
                {
                    ["tooNewLogEventStartIndex"] = (long?)tooNewStart,
                    ["tooOldLogEventEndIndex"] = (long?)tooOldEnd,
                    ["expiredLogEventEndIndex"] = (long?)expiredEnd,
                };
            }
            return new Dictionary<string, object?> { ["nextSequenceToken"] = SequenceToken(stream), ["rejectedLogEventsInfo"] = rejected };
        });
    }

    /// <summary>
    /// Events of one stream. Tokens are positions: "f/P" continues with events after P, "b/P" with those before
    /// P. With nothing more to read, the token passed in comes back, which is how clients know they reached the end.
    /// </summary>
    private Dictionary<string, object?> GetLogEvents(RequestContext ctx, Dictionary<string, object?> input)
    {
        var limit = EventLimit(input);
        var group = GroupFrom(ctx, input);
        var stream = _store.Stream(ctx.Scope, group.Name, input.RequireString("logStreamName")) ?? throw LogsErrors.StreamNotFound();
        var start = input.GetLong("startTime") ?? long.MinValue;
        var end = input.GetLong("endTime") ?? long.MaxValue;
        var all = _store.Events(ctx.Scope, group, stream).Where(e => e.Event.Timestamp >= start && e.Event.Timestamp < end).ToList();

        var token = input.GetString("nextToken");
        bool forward;
        List<(string Position, LogEventRow Event)> page;
        if (token is null)
        {
            forward = input.GetBool("startFromHead") ?? false;
            page = forward ? all.Take(limit).ToList() : all.Skip(Math.Max(0, all.Count - limit)).ToList();
        }
        else
        {
            if (token.Length < 3 || token[1] != '/' || token[0] is not ('f' or 'b'))
                throw LogsErrors.InvalidParameter("The specified nextToken is invalid.");
            forward = token[0] == 'f';
            var at = token[2..];
            if (forward)
                page = all.Where(e => string.CompareOrdinal(e.Position, at) > 0).Take(limit).ToList();
            else
            {
                var before = all.Where(e => string.CompareOrdinal(e.Position, at) < 0).ToList();
                page = before.Skip(Math.Max(0, before.Count - limit)).ToList();
            }
        }

        string forwardToken, backwardToken;
        if (page.Count > 0)
            (forwardToken, backwardToken) = ("f/" + page[^1].Position, "b/" + page[0].Position);
        else
        {
            var at = token?[2..] ?? LogStore.Position(0, 0);
            (forwardToken, backwardToken) = ("f/" + at, "b/" + at);
        }
        return new()
        {
            ["events"] = page.Select(e => (object?)new Dictionary<string, object?>
            {
                ["timestamp"] = e.Event.Timestamp,
                ["message"] = e.Event.Message,
                ["ingestionTime"] = e.Event.IngestionTime,
            }).ToList(),
            ["nextForwardToken"] = forwardToken,
            ["nextBackwardToken"] = backwardToken,
        };
    }

    /// <summary>Events of a group's streams matching a filter pattern, in time order across streams.</summary>
    private Dictionary<string, object?> FilterLogEvents(RequestContext ctx, Dictionary<string, object?> input)
    {
        var limit = EventLimit(input);
        var group = GroupFrom(ctx, input);
        var names = input.GetStrings("logStreamNames");
        var prefix = input.GetString("logStreamNamePrefix");
        if (names.Count > 0 && prefix is not null)
            throw LogsErrors.InvalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive");
        var pattern = FilterPattern.Parse(input.GetString("filterPattern"));
        var start = input.GetLong("startTime") ?? long.MinValue;
        var end = input.GetLong("endTime") ?? long.MaxValue;
        var after = PageToken.Resume(input.GetString("nextToken"), LogsErrors.InvalidToken);

        var streams = _store.Streams(ctx.Scope, group.Name, prefix).Where(s => names.Count == 0 || names.Contains(s.Name));
        var matches = new List<(string Key, string Stream, LogEventRow Event)>();
        foreach (var stream in streams)
        {
            foreach (var (position, e) in _store.Events(ctx.Scope, group, stream))
            {
                if (e.Timestamp < start || e.Timestamp >= end) continue;
                // Orders by time, then stream, then arrival; the key is also the resume point of the token.
                var key = position[..15] + "/" + stream.Name + "/" + position[15..];
                if (after is not null && string.CompareOrdinal(key, after) <= 0) continue;
                if (pattern(e.Message)) matches.Add((key, stream.Name, e));
            }
        }
        matches.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var page = matches.Take(limit).ToList();
        return new()
        {
            ["events"] = page.Select(m => (object?)new Dictionary<string, object?>
            {
                ["logStreamName"] = m.Stream,
                ["timestamp"] = m.Event.Timestamp,
                ["message"] = m.Event.Message,
                ["ingestionTime"] = m.Event.IngestionTime,
                ["eventId"] = LogStore.EventId(m.Key[..15] + m.Key[^12..], m.Stream),
            }).ToList(),
            ["searchedLogStreams"] = new List<object?>(),
            ["nextToken"] = matches.Count > limit ? PageToken.After(page[^1].Key) : null,
        };
    }

    private static int EventLimit(Dictionary<string, object?> input)
    {
        var limit = input.GetInt("limit") ?? 10_000;
        if (limit is < 1 or > 10_000)
            throw LogsErrors.Constraint(limit, "limit", limit < 1 ? "Member must have value greater than or equal to 1" : "Member must have value less than or equal to 10000");
        return limit;
    }
}
