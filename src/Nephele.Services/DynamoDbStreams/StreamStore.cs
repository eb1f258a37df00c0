using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Nephele.Core.Events;
using Nephele.Core.State;
using Nephele.Services.DynamoDb;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDbStreams;

/// <summary>
/// The DynamoDB streams of one Nephele, shared by the DynamoDB provider (which appends a record inside the
/// transaction of every item change, see <see cref="TableStore.WriteItem"/>) and the DynamoDB Streams provider
/// (which reads them). Streams live in the "streams" table keyed by ARN; each stream's records in their own state
/// table keyed by sequence number. Records older than 24 hours (Nephele's clock) are trimmed, and a disabled
/// stream disappears 24 hours after it was disabled.
/// </summary>
internal sealed partial class StreamStore(IStateStore state, EventBus events, ILogger log)
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    private const string Service = "dynamodb";
    private const string LabelFormat = "yyyy-MM-ddTHH:mm:ss.fff";

    // Records appended by this thread's open transaction, published once it commits (see PublishAfter).
    [ThreadStatic] private static List<(StreamStore Store, Scope Scope, StreamInfo Stream, DynamoDbStreamRecord Record)>? t_pending;
    [ThreadStatic] private static int t_depth;

    private readonly IResourceTable _streams = state.Table(Service, "streams");
    private readonly EventBus _events = events;
    private readonly ILogger _log = log;

    public IResourceTable Records(StreamInfo stream) => state.Table(Service, stream.RecordsTable);

    public static string ArnOf(TableRecord table) => $"{table.TableArn}/stream/{table.LatestStreamLabel}";

    /// <summary>A new stream label: the time, to the millisecond, kept above the table's previous label.</summary>
    public static string NewLabel(DateTimeOffset now, string? previous)
    {
        var label = now.UtcDateTime.ToString(LabelFormat, CultureInfo.InvariantCulture);
        return previous is not null && string.CompareOrdinal(label, previous) <= 0
            ? LabelTime(previous).AddMilliseconds(1).UtcDateTime.ToString(LabelFormat, CultureInfo.InvariantCulture)
            : label;
    }

    private static DateTimeOffset LabelTime(string label) =>
        DateTimeOffset.ParseExact(label, LabelFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public StreamInfo? Find(Scope scope, string arn) => _streams.Get(scope, arn, StreamJsonContext.Default.StreamInfo);

    /// <summary>Streams in ARN order (so by table name, then label), optionally of one table.</summary>
    public IReadOnlyList<StreamInfo> List(Scope scope, string? arnPrefix, string? startAfter, int limit) =>
        _streams.List(scope, arnPrefix, startAfter, limit)
            .Select(r => JsonSerializer.Deserialize(r.Value, StreamJsonContext.Default.StreamInfo)!).ToList();

    public IReadOnlyList<Scope> Scopes() => _streams.Scopes();

    /// <summary>
    /// Starts the table's latest stream (CreateTable or UpdateTable enabling it), inside the caller's transaction;
    /// its sequence numbers continue above <paramref name="previousEnding"/>, the end of the table's previous stream.
    /// </summary>
    public void Open(Scope scope, TableRecord table, string? previousEnding)
    {
        var created = LabelTime(table.LatestStreamLabel!);
        var arn = ArnOf(table);
        var first = SequenceNumbers.First(created);
        if (previousEnding is not null && string.CompareOrdinal(previousEnding, first) >= 0) first = SequenceNumbers.Next(previousEnding);
        _streams.TryAdd(scope, arn, new StreamInfo
        {
            StreamArn = arn,
            StreamLabel = table.LatestStreamLabel!,
            TableName = table.TableName,
            TableId = table.TableId,
            KeySchema = table.KeySchema,
            StreamViewType = table.StreamViewType ?? "KEYS_ONLY",
            CreationRequestDateTime = created,
            ShardId = $"shardId-{created.ToUnixTimeMilliseconds():D20}-{(uint)StableHash(arn):x8}",
            StartingSequenceNumber = first,
        }, StreamJsonContext.Default.StreamInfo);
    }

    /// <summary>Closes a stream's shard (stream disabled or table deleted); its records stay readable for 24 hours.</summary>
    public void Close(Scope scope, string arn, DateTimeOffset now)
    {
        if (Find(scope, arn) is not { Enabled: true } stream) return;
        var ending = LastSequence(scope, stream) ?? stream.StartingSequenceNumber;
        _streams.Put(scope, arn, stream with { DisabledAt = now, EndingSequenceNumber = ending }, StreamJsonContext.Default.StreamInfo);
    }

    /// <summary>The sequence number of the newest record the stream ever had, or null when it had none.</summary>
    public string? LastSequence(Scope scope, StreamInfo stream)
    {
        var last = Records(stream).Range(scope, new KeyRange(null, false, null, false, Descending: true), 1);
        return last.Count > 0 ? last[0].Key : stream.TrimmedThrough;
    }

    /// <summary>
    /// Appends the record of an item change to the table's enabled stream, inside the caller's transaction, so the
    /// record is exactly as durable as the change. A write that changes nothing gets no record, as in AWS.
    /// </summary>
    public void Append(Scope scope, TableRecord table, IReadOnlyDictionary<string, AttributeValue>? old,
        IReadOnlyDictionary<string, AttributeValue>? item, bool byTimeToLive, DateTimeOffset now)
    {
        if (!table.StreamEnabled || table.LatestStreamLabel is null) return;
        if (old is not null && item is not null && SameItem(old, item)) return;
        if (Find(scope, ArnOf(table)) is not { Enabled: true } stream) return;
        var sequence = LastSequence(scope, stream) is { } last ? SequenceNumbers.Next(last) : stream.StartingSequenceNumber;
        var keys = ItemKeys.KeyOf(table, (item ?? old)!);
        var view = stream.StreamViewType;
        var newImage = view is "NEW_IMAGE" or "NEW_AND_OLD_IMAGES" ? item : null;
        var oldImage = view is "OLD_IMAGE" or "NEW_AND_OLD_IMAGES" ? old : null;
        var row = new StreamRecordRow
        {
            EventId = Guid.NewGuid().ToString("N"),
            EventName = old is null ? "INSERT" : item is null ? "REMOVE" : "MODIFY",
            CreatedMillis = now.ToUnixTimeMilliseconds(),
            Keys = ItemCodec.Encode(keys),
            NewImage = newImage is null ? null : ItemCodec.Encode(newImage),
            OldImage = oldImage is null ? null : ItemCodec.Encode(oldImage),
            SizeBytes = ItemSize.Of(keys) + (newImage is null ? 0 : ItemSize.Of(newImage)) + (oldImage is null ? 0 : ItemSize.Of(oldImage)),
            ByTimeToLive = byTimeToLive,
        };
        Records(stream).Put(scope, sequence, row, StreamJsonContext.Default.StreamRecordRow);
        var record = new DynamoDbStreamRecord(row.EventId, row.EventName, sequence, StreamRecordWire.CreationTime(row), row.SizeBytes,
            StreamRecordWire.LambdaJson(row, sequence, view, scope.Region, stream.StreamArn));
        if (t_depth > 0) (t_pending ??= []).Add((this, scope, stream, record));
        else Publish([(this, scope, stream, record)]);
    }

    private static bool SameItem(IReadOnlyDictionary<string, AttributeValue> a, IReadOnlyDictionary<string, AttributeValue> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && kv.Value.Equals(v));

    /// <summary>
    /// Runs <paramref name="transaction"/> (a state transaction) and, once the outermost one has committed,
    /// publishes the records it appended as <see cref="DynamoDbStreamRecordsAppended"/> events; a rolled-back
    /// transaction publishes nothing.
    /// </summary>
    public static T PublishAfter<T>(Func<T> transaction)
    {
        var mark = t_pending?.Count ?? 0;
        t_depth++;
        T result;
        try
        {
            result = transaction();
        }
        catch
        {
            if (t_pending is { } pending && pending.Count > mark) pending.RemoveRange(mark, pending.Count - mark);
            throw;
        }
        finally
        {
            t_depth--;
        }
        if (t_depth == 0 && t_pending is { Count: > 0 } committed)
        {
            t_pending = null;
            Publish(committed);
        }
        return result;
    }

    private static void Publish(List<(StreamStore Store, Scope Scope, StreamInfo Stream, DynamoDbStreamRecord Record)> records)
    {
        foreach (var group in records.GroupBy(r => (r.Store, r.Scope, r.Stream.StreamArn)))
        {
            var first = group.First();
            try
            {
                first.Store._events.Publish(new DynamoDbStreamRecordsAppended(first.Scope, first.Stream.TableName, first.Stream.StreamArn,
                    first.Stream.ShardId, group.Select(r => r.Record).ToList()));
            }
            catch (Exception e)
            {
                // The write has committed; a failing subscriber is its own problem, not the writer's.
                LogSubscriberFailed(first.Store._log, e, first.Stream.StreamArn);
            }
        }
    }

    /// <summary>
    /// Applies the 24-hour retention to one stream: removes records older than that and, 24 hours after a disable,
    /// the stream itself. Returns the stream as it is now, or null when it no longer exists.
    /// </summary>
    public StreamInfo? Trim(Scope scope, StreamInfo stream, DateTimeOffset now)
    {
        if (stream.DisabledAt is { } disabled && disabled + Retention <= now)
        {
            Remove(scope, stream);
            return null;
        }
        var cutoff = (now - Retention).ToUnixTimeMilliseconds();
        var records = Records(stream);
        var oldest = records.List(scope, limit: 1);
        if (oldest.Count == 0 || Row(oldest[0].Value).CreatedMillis >= cutoff) return stream;
        return state.Transaction(() =>
        {
            string? trimmed = null;
            var done = false;
            while (!done && records.List(scope, startAfter: trimmed, limit: 500) is { Count: > 0 } batch)
            {
                foreach (var (key, value) in batch)
                {
                    if (Row(value).CreatedMillis >= cutoff)
                    {
                        done = true;
                        break;
                    }
                    records.Delete(scope, key);
                    trimmed = key;
                }
            }
            if (Find(scope, stream.StreamArn) is not { } current) return null;
            if (trimmed is null) return current;
            current = current with { TrimmedThrough = trimmed };
            _streams.Put(scope, current.StreamArn, current, StreamJsonContext.Default.StreamInfo);
            return current;
        });
    }

    private void Remove(Scope scope, StreamInfo stream)
    {
        var records = Records(stream);
        while (records.List(scope, limit: 1000) is { Count: > 0 } batch)
            state.Transaction(() =>
            {
                foreach (var row in batch) records.Delete(scope, row.Key);
                return 0;
            });
        _streams.Delete(scope, stream.StreamArn);
    }

    /// <summary>Records after the key position <paramref name="after"/> (exclusive), in sequence order.</summary>
    public IReadOnlyList<(string Sequence, StreamRecordRow Row)> Read(Scope scope, StreamInfo stream, string after, int limit) =>
        Records(stream).Range(scope, new KeyRange(after, false, null, false), limit).Select(r => (r.Key, Row(r.Value))).ToList();

    private static StreamRecordRow Row(byte[] bytes) => JsonSerializer.Deserialize(bytes, StreamJsonContext.Default.StreamRecordRow)!;

    private static int StableHash(string s)
    {
        var h = unchecked((int)2166136261);
        foreach (var c in s) h = unchecked((h ^ c) * 16777619);
        return h;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A subscriber of DynamoDB stream {StreamArn} failed")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception e, string streamArn);
}
