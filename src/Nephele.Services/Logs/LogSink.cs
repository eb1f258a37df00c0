using Nephele.Core.Gateway;
using Nephele.Core.State;

namespace Nephele.Services.Logs;

/// <summary>Events for one stream: (epoch milliseconds, message) each.</summary>
public sealed record LogBatch(Scope Scope, string Group, string Stream, IReadOnlyList<(long Timestamp, string Message)> Events);

/// <summary>
/// How other services write to CloudWatch Logs (Lambda's function output, later API Gateway and CodeBuild):
/// the group and stream are created when missing, as AWS's own services do.
/// </summary>
public sealed class LogSink(ServiceEnvironment env)
{
    private readonly LogStore _store = new(env.State, env.Clock, env.Events);

    /// <summary>Appends events (epoch milliseconds, message) to group/stream in <paramref name="scope"/>; events
    /// are sorted by time first, as CloudWatch Logs stores them.</summary>
    public void Append(Scope scope, string group, string stream, IEnumerable<(long Timestamp, string Message)> events)
    {
        var ordered = events.Where(e => e.Message.Length > 0).OrderBy(e => e.Timestamp).ToList();
        _store.Transaction(() =>
        {
            var now = _store.NowMillis;
            var groupRecord = _store.Group(scope, group);
            if (groupRecord is null) _store.PutGroup(scope, groupRecord = new LogGroupRecord { Name = group, CreationTime = now });
            var record = _store.Stream(scope, group, stream) ?? new LogStreamRecord { Group = group, Name = stream, CreationTime = now };
            if (ordered.Count == 0) _store.PutStream(scope, record);
            else _store.Append(scope, groupRecord, record, ordered);
            return 0;
        });
    }

    /// <summary>Appends several batches in one transaction.</summary>
    public void Append(IReadOnlyList<LogBatch> batches) => _store.Transaction(() =>
    {
        foreach (var b in batches) Append(b.Scope, b.Group, b.Stream, b.Events);
        return 0;
    });

    /// <summary>The messages of a stream in order (for tests and `nephele logs`).</summary>
    public IReadOnlyList<string> Read(Scope scope, string group, string stream)
    {
        if (_store.Group(scope, group) is not { } g || _store.Stream(scope, group, stream) is not { } s) return [];
        return _store.Events(scope, g, s).Select(e => e.Event.Message).ToList();
    }
}
