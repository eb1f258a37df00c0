using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Logs;

/// <summary>
/// StartLiveTail: an event stream that opens with sessionStart and then sends sessionUpdate events carrying the
/// events ingested after the start that match the filter pattern. AWS sends an update about every second, with at
/// most 500 events (sampled when more arrived); the session ends after 3 hours of Nephele's clock
/// (SessionTimeoutException) or when the client goes away.
/// </summary>
public sealed partial class LogsProvider
{
    private const int MaxLiveTailSessions = 15;
    private const int MaxLiveTailEventsPerUpdate = 500;
    private static readonly TimeSpan LiveTailPoll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LiveTailHeartbeat = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LiveTailLimit = TimeSpan.FromHours(3);

    private readonly ConcurrentDictionary<string, string> _liveTailSessions = new();

    private Dictionary<string, object?> StartLiveTail(RequestContext ctx, Dictionary<string, object?> input)
    {
        var identifiers = input.GetStrings("logGroupIdentifiers");
        if (identifiers.Count is < 1 or > 10)
            throw LogsErrors.Constraint($"[{string.Join(", ", identifiers)}]", "logGroupIdentifiers",
                identifiers.Count < 1 ? "Member must have length greater than or equal to 1" : "Member must have length less than or equal to 10");
        var streamNames = input.GetStrings("logStreamNames");
        var streamPrefixes = input.GetStrings("logStreamNamePrefixes");
        if (streamNames.Count > 0 && streamPrefixes.Count > 0)
            throw LogsErrors.InvalidParameter("logStreamNames and logStreamNamePrefixes are mutually exclusive.");
        if ((streamNames.Count > 0 || streamPrefixes.Count > 0) && identifiers.Count > 1)
            throw LogsErrors.InvalidParameter("logStreamNames and logStreamNamePrefixes can be specified only when logGroupIdentifiers contains a single log group.");
        var patternText = input.GetString("logEventFilterPattern");
        var pattern = FilterPattern.Parse(patternText);
        var groups = new List<(string Name, string Identifier)>();
        foreach (var identifier in identifiers)
        {
            var name = GroupNameOf(identifier);
            if (_store.Group(ctx.Scope, name) is null) throw LogsErrors.GroupNotFound();
            groups.Add((name, GroupArn(ctx.Scope, name)));
        }
        if (_liveTailSessions.Values.Count(a => a == ctx.Scope.AccountId) >= MaxLiveTailSessions)
            throw new AwsException("LimitExceededException", $"The account already has the maximum of {MaxLiveTailSessions} concurrent live tail sessions.");

        var start = new Dictionary<string, object?>
        {
            ["requestId"] = ctx.RequestId,
            ["sessionId"] = Guid.NewGuid().ToString(),
            ["logGroupIdentifiers"] = identifiers.Select(i => (object?)i).ToList(),
            ["logStreamNames"] = streamNames.Count > 0 ? streamNames.Select(n => (object?)n).ToList() : null,
            ["logStreamNamePrefixes"] = streamPrefixes.Count > 0 ? streamPrefixes.Select(n => (object?)n).ToList() : null,
            ["logEventFilterPattern"] = patternText,
        };
        bool StreamWanted(string stream) =>
            (streamNames.Count == 0 || streamNames.Contains(stream)) && (streamPrefixes.Count == 0 || streamPrefixes.Any(p => stream.StartsWith(p, StringComparison.Ordinal)));
        var session = new LiveTailSession(ctx.Scope, groups, StreamWanted, pattern, _store.NowMillis);
        return new() { ["responseStream"] = Tail(ctx.Scope.AccountId, (string)start["sessionId"]!, start, session) };
    }

    private async IAsyncEnumerable<Dictionary<string, object?>> Tail(string account, string sessionId, Dictionary<string, object?> start, LiveTailSession session,
        [EnumeratorCancellation] CancellationToken cancel = default)
    {
        _liveTailSessions[sessionId] = account;
        try
        {
            yield return new() { ["sessionStart"] = start };
            var sinceUpdate = TimeSpan.Zero;
            while (!cancel.IsCancellationRequested)
            {
                await Task.Delay(LiveTailPoll, cancel);
                sinceUpdate += LiveTailPoll;
                if (_store.NowMillis - session.StartedAt >= (long)LiveTailLimit.TotalMilliseconds)
                    throw new AwsException("SessionTimeoutException", "Session timed out after 3 hours.");
                var found = session.Poll(_store);
                if (found.Count == 0 && sinceUpdate < LiveTailHeartbeat) continue;
                sinceUpdate = TimeSpan.Zero;
                var sampled = found.Count > MaxLiveTailEventsPerUpdate;
                yield return new()
                {
                    ["sessionUpdate"] = new Dictionary<string, object?>
                    {
                        ["sessionMetadata"] = new Dictionary<string, object?> { ["sampled"] = sampled },
                        ["sessionResults"] = found.Skip(Math.Max(0, found.Count - MaxLiveTailEventsPerUpdate)).Select(e => (object?)e).ToList(),
                    },
                };
            }
        }
        finally
        {
            _liveTailSessions.TryRemove(sessionId, out _);
        }
    }

    /// <summary>What a live tail has sent: events ingested after its start, each once.</summary>
    private sealed class LiveTailSession(Scope scope, List<(string Name, string Identifier)> groups, Func<string, bool> streamWanted,
        Func<string, bool> pattern, long startedAt)
    {
        private readonly Dictionary<string, long> _sent = new(StringComparer.Ordinal);
        private long _seenUpTo = startedAt;

        public long StartedAt { get; } = startedAt;

        public List<Dictionary<string, object?>> Poll(LogStore store)
        {
            var found = new List<(long Ingestion, string Key, Dictionary<string, object?> Event)>();
            var newest = _seenUpTo;
            foreach (var (name, identifier) in groups)
            {
                if (store.Group(scope, name) is not { } group) continue;
                foreach (var stream in store.Streams(scope, name))
                {
                    // Only streams written to since the last poll can hold new events.
                    if (stream.LastIngestionTime is not { } last || last < _seenUpTo || !streamWanted(stream.Name)) continue;
                    foreach (var (position, e) in store.Events(scope, group, stream))
                    {
                        if (e.IngestionTime < _seenUpTo) continue;
                        var key = name + "\n" + stream.Name + "\n" + position;
                        if (!_sent.TryAdd(key, e.IngestionTime) || !pattern(e.Message)) continue;
                        newest = Math.Max(newest, e.IngestionTime);
                        found.Add((e.IngestionTime, key, new Dictionary<string, object?>
                        {
                            ["logStreamName"] = stream.Name,
                            ["logGroupIdentifier"] = identifier,
                            ["message"] = e.Message,
                            ["timestamp"] = e.Timestamp,
                            ["ingestionTime"] = e.IngestionTime,
                        }));
                    }
                }
            }
            // Events ingested before the newest one seen are never read again, so only keys at that time are kept.
            if (newest > _seenUpTo)
            {
                _seenUpTo = newest;
                foreach (var old in _sent.Where(s => s.Value < newest).Select(s => s.Key).ToList()) _sent.Remove(old);
            }
            found.Sort((a, b) => a.Ingestion != b.Ingestion ? a.Ingestion.CompareTo(b.Ingestion) : string.CompareOrdinal(a.Key, b.Key));
            return found.Select(f => f.Event).ToList();
        }
    }
}
