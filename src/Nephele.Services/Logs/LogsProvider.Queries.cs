using System.Collections.Concurrent;
using System.Text;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.Logs.Insights;

namespace Nephele.Services.Logs;

/// <summary>
/// Logs Insights: StartQuery parses the query at once (MalformedQueryException) and runs it in the background over
/// the stored events; GetQueryResults shows its status (Scheduled, Running, Complete, Cancelled, Failed) and, once
/// complete, its results and statistics. A query whose run was lost to a restart is run again when asked about.
/// </summary>
public sealed partial class LogsProvider
{
    /// <summary>AWS's default limit of concurrent Logs Insights queries per account.</summary>
    private const int MaxConcurrentQueries = 30;
    private const int DefaultQueryLimit = 10_000;

    private readonly ConcurrentDictionary<string, (string Account, CancellationTokenSource Stop)> _runningQueries = new();
    private IResourceTable Queries => env.State.Table("logs", "queries");

    private Dictionary<string, object?> StartQuery(RequestContext ctx, Dictionary<string, object?> input)
    {
        var language = input.GetString("queryLanguage") ?? "CWLI";
        if (language != "CWLI")
            throw LogsErrors.InvalidParameter($"Nephele runs only CloudWatch Logs Insights QL (CWLI) queries, not {language}.");
        var queryString = input.RequireString("queryString");
        if (queryString.Length > 10_000)
            throw LogsErrors.Constraint(queryString, "queryString", "Member must have length less than or equal to 10000");
        var start = input.GetLong("startTime") ?? throw LogsErrors.Constraint(null, "startTime", "Member must not be null");
        var end = input.GetLong("endTime") ?? throw LogsErrors.Constraint(null, "endTime", "Member must not be null");
        if (end < start) throw LogsErrors.InvalidParameter("End time cannot be before the start time.");
        var limit = input.GetInt("limit") ?? DefaultQueryLimit;
        if (limit is < 1 or > 100_000)
            throw LogsErrors.Constraint(limit, "limit", limit < 1 ? "Member must have value greater than or equal to 1" : "Member must have value less than or equal to 100000");
        var groups = QueryGroups(ctx, input);
        ParseQuery(queryString);
        if (_runningQueries.Values.Count(q => q.Account == ctx.Scope.AccountId) >= MaxConcurrentQueries)
            throw new AwsException("LimitExceededException", $"Account maximum query concurrency limit of [{MaxConcurrentQueries}] reached.");

        var query = new QueryRecord
        {
            Id = Guid.NewGuid().ToString(),
            QueryString = queryString,
            LogGroupNames = groups,
            StartTime = start,
            EndTime = end,
            Limit = limit,
            CreateTime = ctx.Now.ToUnixTimeMilliseconds(),
            Status = "Scheduled",
        };
        Queries.Put(ctx.Scope, query.Id, query, QueryJsonContext.Default.QueryRecord);
        RunInBackground(ctx.Scope, query);
        return new() { ["queryId"] = query.Id };
    }

    /// <summary>The groups of logGroupName, logGroupNames or logGroupIdentifiers (names or ARNs); exactly one is given.</summary>
    private List<string> QueryGroups(RequestContext ctx, Dictionary<string, object?> input)
    {
        var given = new List<IReadOnlyList<string>>();
        if (input.GetString("logGroupName") is { } one) given.Add([one]);
        if (input.ContainsKey("logGroupNames")) given.Add(input.GetStrings("logGroupNames"));
        if (input.ContainsKey("logGroupIdentifiers")) given.Add(input.GetStrings("logGroupIdentifiers"));
        if (given.Count > 1)
            throw LogsErrors.InvalidParameter("Only one of logGroupName, logGroupNames or logGroupIdentifiers may be specified.");
        if (given.Count == 0 || given[0].Count == 0)
            throw LogsErrors.InvalidParameter("Either logGroupName, logGroupNames or logGroupIdentifiers must be specified.");
        if (given[0].Count > 50)
            throw LogsErrors.InvalidParameter("A query can search at most 50 log groups.");
        var names = new List<string>();
        foreach (var identifier in given[0])
        {
            var name = GroupNameOf(identifier);
            if (_store.Group(ctx.Scope, name) is null)
                throw new AwsException("ResourceNotFoundException", $"Log group '{name}' does not exist for account ID '{ctx.Scope.AccountId}'");
            if (!names.Contains(name)) names.Add(name);
        }
        return names;
    }

    private static InsightsQuery ParseQuery(string queryString)
    {
        try
        {
            return InsightsQuery.Parse(queryString);
        }
        catch (QuerySyntaxException e)
        {
            throw new AwsException("MalformedQueryException", e.Message, fields: new()
            {
                ["queryCompileError"] = new Dictionary<string, object?>
                {
                    ["location"] = new Dictionary<string, object?> { ["startCharOffset"] = (long)e.Start, ["endCharOffset"] = (long)e.End },
                    ["message"] = e.Message,
                },
            });
        }
    }

    private void RunInBackground(Scope scope, QueryRecord query)
    {
        var stop = new CancellationTokenSource();
        if (!_runningQueries.TryAdd(query.Id, (scope.AccountId, stop))) return;
        _ = Task.Run(() =>
        {
            try
            {
                Execute(scope, query.Id, stop.Token);
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                Finish(scope, query.Id, q => q with { Status = "Failed" });
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                _runningQueries.TryRemove(query.Id, out _);
                stop.Dispose();
            }
        });
    }

    private void Execute(Scope scope, string id, CancellationToken stop)
    {
        if (!Finish(scope, id, q => q with { Status = "Running" })) return;
        var query = Queries.Get(scope, id, QueryJsonContext.Default.QueryRecord)!;
        var parsed = InsightsQuery.Parse(query.QueryString);
        long scanned = 0, bytes = 0, matched = 0;
        var from = query.StartTime * 1000;
        var to = query.EndTime * 1000 + 999;
        var events = new List<(long Timestamp, string Key, QueryRow Row)>();
        var groups = 0;
        foreach (var name in query.LogGroupNames)
        {
            if (_store.Group(scope, name) is not { } group) continue;
            groups++;
            foreach (var stream in _store.Streams(scope, name))
            {
                stop.ThrowIfCancellationRequested();
                foreach (var (position, e) in _store.Events(scope, group, stream))
                {
                    if (e.Timestamp < from || e.Timestamp > to) continue;
                    scanned++;
                    bytes += Encoding.UTF8.GetByteCount(e.Message);
                    events.Add((e.Timestamp, position + "/" + name + "/" + stream.Name, InsightsRecord.From(scope.AccountId, name, stream.Name, position, e)));
                }
            }
        }
        // Newest first, which is the order of a query without sort and what its limit keeps.
        events.Sort((a, b) => b.Timestamp != a.Timestamp ? b.Timestamp.CompareTo(a.Timestamp) : string.CompareOrdinal(b.Key, a.Key));
        var (rows, shape) = parsed.Run(events.Select(e => e.Row), Math.Min(query.Limit, DefaultQueryLimit), () => matched++);
        stop.ThrowIfCancellationRequested();
        var results = rows.Select(row => ResultOf(row, shape)).ToList();
        Finish(scope, id, q => q with
        {
            Status = "Complete",
            Results = results,
            Statistics = new() { RecordsMatched = matched, RecordsScanned = scanned, BytesScanned = bytes, LogGroupsScanned = groups },
            CompletedTime = _store.NowMillis,
        });
    }

    /// <summary>A row as GetQueryResults lists it: the chosen fields it has, then @ptr for a log event.</summary>
    private static List<ResultFieldRecord> ResultOf(QueryRow row, QueryShape shape)
    {
        var names = shape.Projection ?? (IEnumerable<string>)row.Fields.Keys;
        var fields = new List<ResultFieldRecord>();
        foreach (var name in names)
            if (QueryValue.Format(row.Get(name)) is { } value) fields.Add(new(name, value));
        if (!shape.Aggregated && row.Ptr is not null) fields.Add(new("@ptr", row.Ptr));
        return fields;
    }

    /// <summary>Moves a query on only while it is still scheduled or running (StopQuery may have cancelled it).</summary>
    private bool Finish(Scope scope, string id, Func<QueryRecord, QueryRecord> change) => _store.Transaction(() =>
    {
        if (Queries.Get(scope, id, QueryJsonContext.Default.QueryRecord) is not { Status: "Scheduled" or "Running" } query) return false;
        Queries.Put(scope, id, change(query), QueryJsonContext.Default.QueryRecord);
        return true;
    });

    private QueryRecord RequireQuery(RequestContext ctx, Dictionary<string, object?> input) =>
        Queries.Get(ctx.Scope, input.RequireString("queryId"), QueryJsonContext.Default.QueryRecord)
        ?? throw new AwsException("ResourceNotFoundException", "The specified query could not be found.");

    private Dictionary<string, object?> GetQueryResults(RequestContext ctx, Dictionary<string, object?> input)
    {
        var query = RequireQuery(ctx, input);
        if (query.Status is "Scheduled" or "Running" && !_runningQueries.ContainsKey(query.Id)) RunInBackground(ctx.Scope, query);
        return new()
        {
            ["queryLanguage"] = "CWLI",
            ["status"] = query.Status,
            ["results"] = query.Results.Select(row => (object?)row.Select(f => (object?)new Dictionary<string, object?>
            {
                ["field"] = f.Field,
                ["value"] = f.Value,
            }).ToList()).ToList(),
            ["statistics"] = new Dictionary<string, object?>
            {
                ["recordsMatched"] = query.Statistics.RecordsMatched,
                ["recordsScanned"] = query.Statistics.RecordsScanned,
                ["estimatedRecordsSkipped"] = 0.0,
                ["bytesScanned"] = query.Statistics.BytesScanned,
                ["estimatedBytesSkipped"] = 0.0,
                ["logGroupsScanned"] = query.Statistics.LogGroupsScanned,
            },
        };
    }

    private Dictionary<string, object?> StopQuery(RequestContext ctx, Dictionary<string, object?> input)
    {
        var query = RequireQuery(ctx, input);
        var stopped = Finish(ctx.Scope, query.Id, q => q with { Status = "Cancelled", CompletedTime = ctx.Now.ToUnixTimeMilliseconds() });
        if (stopped && _runningQueries.TryGetValue(query.Id, out var running)) running.Stop.Cancel();
        return new() { ["success"] = stopped };
    }

    private Dictionary<string, object?> DescribeQueries(RequestContext ctx, Dictionary<string, object?> input)
    {
        var max = input.GetInt("maxResults") ?? 1000;
        if (max is < 1 or > 1000)
            throw LogsErrors.Constraint(max, "maxResults", max < 1 ? "Member must have value greater than or equal to 1" : "Member must have value less than or equal to 1000");
        var status = input.GetString("status");
        var group = input.GetString("logGroupName") is { } g ? GroupNameOf(g) : null;
        var after = PageToken.Resume(input.GetString("nextToken"), LogsErrors.InvalidToken);
        // Newest first; the token is the sort key of the last query returned.
        var matching = Queries.Values(ctx.Scope, QueryJsonContext.Default.QueryRecord)
            .Where(q => status is null || q.Status == status)
            .Where(q => group is null || q.LogGroupNames.Contains(group))
            .Select(q => (Key: (long.MaxValue - q.CreateTime).ToString("D19", System.Globalization.CultureInfo.InvariantCulture) + q.Id, Query: q))
            .Where(q => after is null || string.CompareOrdinal(q.Key, after) > 0)
            .OrderBy(q => q.Key, StringComparer.Ordinal)
            .ToList();
        var page = matching.Take(max).ToList();
        return new()
        {
            ["queries"] = page.Select(q => (object?)new Dictionary<string, object?>
            {
                ["queryLanguage"] = "CWLI",
                ["queryId"] = q.Query.Id,
                ["queryString"] = q.Query.QueryString,
                ["status"] = q.Query.Status,
                ["createTime"] = q.Query.CreateTime,
                ["logGroupName"] = q.Query.LogGroupNames.FirstOrDefault(),
                ["queryDuration"] = q.Query.CompletedTime is { } done ? done - q.Query.CreateTime : null,
                ["bytesScanned"] = q.Query.Statistics.BytesScanned,
            }).ToList(),
            ["nextToken"] = matching.Count > max ? PageToken.After(page[^1].Key) : null,
        };
    }

    /// <summary>The fields of the event a result's @ptr points at.</summary>
    private Dictionary<string, object?> GetLogRecord(RequestContext ctx, Dictionary<string, object?> input)
    {
        var pointer = InsightsRecord.ParsePointer(input.RequireString("logRecordPointer"))
            ?? throw LogsErrors.InvalidParameter("The specified log record pointer is invalid.");
        var (groupName, streamName, position) = pointer;
        if (_store.Group(ctx.Scope, groupName) is not { } group || _store.Stream(ctx.Scope, groupName, streamName) is not { } stream
            || _store.Events(ctx.Scope, group, stream).FirstOrDefault(e => e.Position == position) is not { Event: { } e })
            throw new AwsException("ResourceNotFoundException", "The specified log record does not exist.");
        var row = InsightsRecord.From(ctx.Scope.AccountId, groupName, streamName, position, e);
        var record = new Dictionary<string, object?>();
        foreach (var (name, value) in row.Fields)
        {
            // GetLogRecord gives times as epoch milliseconds, as AWS does.
            var text = value is DateTimeOffset t ? t.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) : QueryValue.Format(value);
            if (text is not null) record[name] = text;
        }
        return new() { ["logRecord"] = record };
    }
}
