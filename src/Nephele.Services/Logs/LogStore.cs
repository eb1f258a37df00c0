using System.Globalization;
using Nephele.Core.Events;
using Nephele.Core.State;

namespace Nephele.Services.Logs;

/// <summary>
/// Log groups, streams and events of every account+region. Shared by the Logs API and <see cref="LogSink"/>
/// (through the state store, so both see the same rows). Retention is applied on read: events older than the
/// group's retention are invisible from the moment Nephele's clock passes them.
/// </summary>
internal sealed class LogStore(IStateStore state, TimeProvider clock, EventBus bus)
{
    private readonly IResourceTable _groups = state.Table("logs", "groups");
    private readonly IResourceTable _streams = state.Table("logs", "streams");
    private readonly IResourceTable _events = state.Table("logs", "events");

    public T Transaction<T>(Func<T> work) => state.Transaction(work);

    public long NowMillis => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public LogGroupRecord? Group(Scope scope, string name) => _groups.Get(scope, name, LogsJsonContext.Default.LogGroupRecord);

    public void PutGroup(Scope scope, LogGroupRecord group) => _groups.Put(scope, group.Name, group, LogsJsonContext.Default.LogGroupRecord);

    public IEnumerable<LogGroupRecord> Groups(Scope scope, string? prefix = null) => _groups.Values(scope, LogsJsonContext.Default.LogGroupRecord, prefix);

    public void DeleteGroup(Scope scope, string name)
    {
        foreach (var stream in Streams(scope, name).ToList()) DeleteStream(scope, stream);
        _groups.Delete(scope, name);
    }

    public LogStreamRecord? Stream(Scope scope, string group, string name) =>
        _streams.Get(scope, StreamKey(group, name), LogsJsonContext.Default.LogStreamRecord);

    public void PutStream(Scope scope, LogStreamRecord stream) =>
        _streams.Put(scope, StreamKey(stream.Group, stream.Name), stream, LogsJsonContext.Default.LogStreamRecord);

    public IEnumerable<LogStreamRecord> Streams(Scope scope, string group, string? namePrefix = null) =>
        _streams.Values(scope, LogsJsonContext.Default.LogStreamRecord, group + ":" + namePrefix);

    public void DeleteStream(Scope scope, LogStreamRecord stream)
    {
        var prefix = StreamKey(stream.Group, stream.Name) + ":";
        foreach (var row in _events.List(scope, prefix)) _events.Delete(scope, row.Key);
        _streams.Delete(scope, StreamKey(stream.Group, stream.Name));
    }

    /// <summary>Appends events (already validated and in time order) to a stream of <paramref name="group"/>, hands them
    /// to the group's subscription filters, and returns the updated stream.</summary>
    public LogStreamRecord Append(Scope scope, LogGroupRecord group, LogStreamRecord stream, IReadOnlyList<(long Timestamp, string Message)> events)
    {
        var now = NowMillis;
        var sequence = stream.NextSequence;
        long bytes = 0;
        var stored = new List<SubscriptionEvent>(events.Count);
        foreach (var (timestamp, message) in events)
        {
            var row = new LogEventRow { Timestamp = timestamp, Message = message, IngestionTime = now };
            var position = Position(timestamp, sequence++);
            _events.Put(scope, StreamKey(stream.Group, stream.Name) + ":" + position, row, LogsJsonContext.Default.LogEventRow);
            stored.Add(new(EventId(position, stream.Name), timestamp, message));
            bytes += System.Text.Encoding.UTF8.GetByteCount(message);
        }
        if (events.Count == 0) return stream;
        if (group.SubscriptionFilters.Count > 0) SubscriptionDelivery.Send(bus, scope, group, stream.Name, stored);
        var first = events.Min(e => e.Timestamp);
        var last = events.Max(e => e.Timestamp);
        stream = stream with
        {
            NextSequence = sequence,
            StoredBytes = stream.StoredBytes + bytes,
            FirstEventTimestamp = stream.FirstEventTimestamp is { } f ? Math.Min(f, first) : first,
            LastEventTimestamp = stream.LastEventTimestamp is { } l ? Math.Max(l, last) : last,
            LastIngestionTime = now,
        };
        PutStream(scope, stream);
        return stream;
    }

    /// <summary>A stream's visible events in (timestamp, sequence) order, with their position keys.</summary>
    public IEnumerable<(string Position, LogEventRow Event)> Events(Scope scope, LogGroupRecord group, LogStreamRecord stream)
    {
        var prefix = StreamKey(stream.Group, stream.Name) + ":";
        var oldest = OldestVisible(group);
        foreach (var row in _events.List(scope, prefix))
        {
            var e = System.Text.Json.JsonSerializer.Deserialize(row.Value, LogsJsonContext.Default.LogEventRow)!;
            if (e.Timestamp >= oldest) yield return (row.Key[prefix.Length..], e);
        }
    }

    /// <summary>The oldest timestamp the group's retention still keeps (long.MinValue when kept forever).</summary>
    public long OldestVisible(LogGroupRecord group) =>
        group.RetentionInDays is { } days ? NowMillis - days * 86_400_000L : long.MinValue;

    public static string StreamKey(string group, string stream) => group + ":" + stream;

    /// <summary>Fixed-width timestamp and sequence, so an event's key orders it within its stream.</summary>
    public static string Position(long timestamp, long sequence) =>
        timestamp.ToString("D15", CultureInfo.InvariantCulture) + sequence.ToString("D12", CultureInfo.InvariantCulture);

    /// <summary>AWS's event ids are long digit strings; ours are time, sequence and a stable hash of the stream.</summary>
    public static string EventId(string position, string stream)
    {
        uint hash = 2166136261;
        foreach (var c in stream) hash = (hash ^ c) * 16777619;
        return position + hash.ToString("D10", CultureInfo.InvariantCulture);
    }
}
