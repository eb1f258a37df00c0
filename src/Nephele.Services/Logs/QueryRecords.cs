using System.Text.Json.Serialization;

namespace Nephele.Services.Logs;

/// <summary>A Logs Insights query and, once it completed, its results (AWS keeps them for 7 days).</summary>
internal sealed record QueryRecord
{
    public required string Id { get; init; }
    public required string QueryString { get; init; }
    public required List<string> LogGroupNames { get; init; }
    /// <summary>The window, epoch seconds as StartQuery takes it.</summary>
    public required long StartTime { get; init; }
    public required long EndTime { get; init; }
    public required int Limit { get; init; }
    public required long CreateTime { get; init; }
    public required string Status { get; init; }
    public List<List<ResultFieldRecord>> Results { get; init; } = [];
    public QueryStatisticsRecord Statistics { get; init; } = new();
    public long? CompletedTime { get; init; }
}

internal sealed record ResultFieldRecord(string Field, string Value);

internal sealed record QueryStatisticsRecord
{
    public double RecordsMatched { get; init; }
    public double RecordsScanned { get; init; }
    public double BytesScanned { get; init; }
    public double LogGroupsScanned { get; init; }
}

/// <summary>A saved query (PutQueryDefinition), keyed by its id.</summary>
internal sealed record QueryDefinitionRecord
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string QueryString { get; init; }
    public List<string> LogGroupNames { get; init; } = [];
    public List<QueryParameterRecord> Parameters { get; init; } = [];
    public required long LastModified { get; init; }
}

internal sealed record QueryParameterRecord(string Name, string? DefaultValue, string? Description);

[JsonSerializable(typeof(QueryRecord))]
[JsonSerializable(typeof(QueryDefinitionRecord))]
internal sealed partial class QueryJsonContext : JsonSerializerContext;
