using System.Text.Json.Serialization;
using Nephele.Core.State;

namespace Nephele.Services.Lambda;

/// <summary>A function URL's CORS settings, as CreateFunctionUrlConfig takes them.</summary>
internal sealed record UrlCors
{
    public bool? AllowCredentials { get; init; }
    public List<string> AllowHeaders { get; init; } = [];
    public List<string> AllowMethods { get; init; } = [];
    public List<string> AllowOrigins { get; init; } = [];
    public List<string> ExposeHeaders { get; init; } = [];
    public int? MaxAge { get; init; }
}

/// <summary>A function URL config, keyed "function:qualifier" ("function:" for the unqualified function).</summary>
internal sealed record FunctionUrlRecord
{
    public required string FunctionName { get; init; }
    public string? Qualifier { get; init; }
    public required string UrlId { get; init; }
    public required string AuthType { get; init; }
    public string InvokeMode { get; init; } = "BUFFERED";
    public UrlCors? Cors { get; init; }
    public required DateTimeOffset CreationTime { get; init; }
    public required DateTimeOffset LastModifiedTime { get; init; }
}

/// <summary>Which function a URL id serves: the host names it, so the lookup is global.</summary>
internal sealed record FunctionUrlTarget(string AccountId, string Region, string FunctionName, string? Qualifier);

[JsonSerializable(typeof(FunctionUrlRecord))]
[JsonSerializable(typeof(FunctionUrlTarget))]
internal sealed partial class FunctionUrlJsonContext : JsonSerializerContext;

/// <summary>Function URL configs per account and region, plus a global index from URL id to function.</summary>
internal sealed class FunctionUrlStore(IStateStore state)
{
    private static readonly Scope Ids = Scope.Global("lambda-url");

    private readonly IResourceTable _configs = state.Table("lambda", "function-urls");
    private readonly IResourceTable _ids = state.Table("lambda", "function-url-ids");

    public T Transaction<T>(Func<T> work) => state.Transaction(work);

    public FunctionUrlRecord? Get(Scope scope, string function, string? qualifier) =>
        _configs.Get(scope, Key(function, qualifier), FunctionUrlJsonContext.Default.FunctionUrlRecord);

    public IEnumerable<FunctionUrlRecord> List(Scope scope, string function) =>
        _configs.Values(scope, FunctionUrlJsonContext.Default.FunctionUrlRecord, function + ":");

    public void Put(Scope scope, FunctionUrlRecord record)
    {
        _configs.Put(scope, Key(record.FunctionName, record.Qualifier), record, FunctionUrlJsonContext.Default.FunctionUrlRecord);
        _ids.Put(Ids, record.UrlId, new FunctionUrlTarget(scope.AccountId, scope.Region, record.FunctionName, record.Qualifier),
            FunctionUrlJsonContext.Default.FunctionUrlTarget);
    }

    public bool Delete(Scope scope, FunctionUrlRecord record)
    {
        _ids.Delete(Ids, record.UrlId);
        return _configs.Delete(scope, Key(record.FunctionName, record.Qualifier));
    }

    public FunctionUrlTarget? Target(string urlId) => _ids.Get(Ids, urlId, FunctionUrlJsonContext.Default.FunctionUrlTarget);

    private static string Key(string function, string? qualifier) => function + ":" + (qualifier ?? "");
}
