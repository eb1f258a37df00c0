using System.Globalization;
using System.Text.RegularExpressions;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.Lambda.Runtime;

namespace Nephele.Services.Lambda;

/// <summary>
/// Lambda: functions from .zip packages with versions, aliases (weighted routing), concurrency, resource
/// policies and tags; Invoke runs the code as local processes behind a Lambda Runtime API of Nephele's own
/// (see Runtime/). Function output goes to CloudWatch Logs.
/// </summary>
public sealed partial class LambdaProvider : IAwsProvider, IHealthDetails, IAsyncDisposable
{
    private readonly ServiceEnvironment _env;
    private readonly LambdaStore _store;
    private readonly Lazy<LambdaRuntime> _runtime;

    public LambdaProvider(ServiceEnvironment env)
    {
        _env = env;
        _store = new LambdaStore(env.State);
        _runtime = new Lazy<LambdaRuntime>(() => new LambdaRuntime(env), LazyThreadSafetyMode.ExecutionAndPublication);
        MapFunctionUrls(env.Routes);
        CollectOrphansAtStartup();
        RestoreProvisionedConcurrency();
    }

    public string ServiceName => "lambda";

    public void Register(OperationRegistry operations)
    {
        RegisterFunctions(operations);
        RegisterAsyncInvocation(operations);
        RegisterSyncInvoke();
        RegisterEventSourceMappings(operations);
        RegisterProvisionedConcurrency(operations);
    }

    private void RegisterFunctions(OperationRegistry operations) => operations
        .On("CreateFunction", CreateFunction)
        .On("GetFunction", GetFunction)
        .On("GetFunctionConfiguration", GetFunctionConfiguration)
        .On("ListFunctions", ListFunctions)
        .On("UpdateFunctionCode", UpdateFunctionCode)
        .On("UpdateFunctionConfiguration", UpdateFunctionConfiguration)
        .On("DeleteFunction", DeleteFunction)
        .On("PublishVersion", PublishVersion)
        .On("ListVersionsByFunction", ListVersionsByFunction)
        .On("CreateAlias", CreateAlias)
        .On("GetAlias", GetAlias)
        .On("UpdateAlias", UpdateAlias)
        .On("DeleteAlias", DeleteAlias)
        .On("ListAliases", ListAliases)
        .On("PutFunctionConcurrency", PutFunctionConcurrency)
        .On("GetFunctionConcurrency", GetFunctionConcurrency)
        .On("DeleteFunctionConcurrency", DeleteFunctionConcurrency)
        .On("AddPermission", AddPermission)
        .On("RemovePermission", RemovePermission)
        .On("GetPolicy", GetPolicy)
        .On("TagResource", TagResource)
        .On("UntagResource", UntagResource)
        .On("ListTags", ListTags)
        .On("GetAccountSettings", GetAccountSettings)
        .On("Invoke", Invoke)
        .On("PublishLayerVersion", PublishLayerVersion)
        .On("GetLayerVersion", GetLayerVersion)
        .On("GetLayerVersionByArn", GetLayerVersionByArn)
        .On("ListLayers", ListLayers)
        .On("ListLayerVersions", ListLayerVersions)
        .On("DeleteLayerVersion", DeleteLayerVersion)
        .On("AddLayerVersionPermission", AddLayerVersionPermission)
        .On("RemoveLayerVersionPermission", RemoveLayerVersionPermission)
        .On("GetLayerVersionPolicy", GetLayerVersionPolicy)
        .On("CreateFunctionUrlConfig", CreateFunctionUrlConfig)
        .On("GetFunctionUrlConfig", GetFunctionUrlConfig)
        .On("UpdateFunctionUrlConfig", UpdateFunctionUrlConfig)
        .On("DeleteFunctionUrlConfig", DeleteFunctionUrlConfig)
        .On("ListFunctionUrlConfigs", ListFunctionUrlConfigs)
        .On("InvokeWithResponseStream", InvokeWithResponseStream);

    /// <summary>The runtimes Invoke can run on this machine (interpreters found on the PATH).</summary>
    public void WriteHealth(System.Text.Json.Utf8JsonWriter writer)
    {
        writer.WriteStartArray("runtimes");
        foreach (var runtime in RuntimeCatalog.Available()) writer.WriteStringValue(runtime);
        writer.WriteEndArray();
        // dotnet* class-library handlers need Nephele's host beside the executable.
        writer.WriteString("dotnetClassLibraryHost", DotnetLaunch.HostInstalled ? DotnetLaunch.HostPath : "missing: " + DotnetLaunch.HostPath);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsyncInvocationAsync();
        await StopEventSourcesAsync();
        if (_runtime.IsValueCreated) await _runtime.Value.DisposeAsync();
    }

    internal static string FunctionArn(Scope scope, string name, string? qualifier = null) =>
        $"arn:aws:lambda:{scope.Region}:{scope.AccountId}:function:{name}" + (qualifier is null ? "" : ":" + qualifier);

    /// <summary>A FunctionName member: a name, a partial ARN (account:function:name) or an ARN, each optionally with :qualifier.</summary>
    private readonly record struct FunctionRef(Scope Scope, string Name, string? Qualifier)
    {
        public string Arn => FunctionArn(Scope, Name);
        public string QualifiedArn => FunctionArn(Scope, Name, Qualifier);
    }

    private static FunctionRef ParseName(RequestContext ctx, Dictionary<string, object?> input, bool allowQualifier = true)
    {
        var raw = input.RequireString("FunctionName");
        var scope = ctx.Scope;
        string name;
        string? qualifier = null;
        var m = FunctionNamePattern().Match(raw);
        if (!m.Success)
            throw LambdaErrors.Constraint(raw, "functionName",
                "Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
        if (m.Groups["region"].Success) scope = scope with { Region = m.Groups["region"].Value };
        if (m.Groups["account"].Success) scope = scope with { AccountId = m.Groups["account"].Value };
        name = m.Groups["name"].Value;
        if (m.Groups["qualifier"].Success) qualifier = m.Groups["qualifier"].Value;
        if (name.Length > 64) throw LambdaErrors.Constraint(raw, "functionName", "Member must have length less than or equal to 64");
        var given = input.GetString("Qualifier");
        if (given is not null && qualifier is not null && given != qualifier)
            throw LambdaErrors.InvalidParameter("The derived qualifier from the function name does not match the specified qualifier.");
        qualifier ??= given;
        if (qualifier is not null && !allowQualifier)
            throw LambdaErrors.InvalidParameter("Qualifier is not supported for this operation.");
        return new FunctionRef(scope, name, qualifier);
    }

    private FunctionRecord RequireFunction(FunctionRef f) => _store.Function(f.Scope, f.Name) ?? throw LambdaErrors.NotFound(f.Arn);

    /// <summary>The version a qualifier names: $LATEST (default), a published number, or an alias's version.</summary>
    private FunctionVersionRecord ResolveVersion(FunctionRef f, string? qualifier = null)
    {
        qualifier ??= f.Qualifier ?? LambdaStore.Latest;
        if (_store.Function(f.Scope, f.Name) is null) throw LambdaErrors.NotFound(f.Arn);
        if (qualifier != LambdaStore.Latest && !IsVersionNumber(qualifier))
        {
            var alias = _store.Alias(f.Scope, f.Name, qualifier) ?? throw LambdaErrors.NotFound(FunctionArn(f.Scope, f.Name, qualifier));
            qualifier = alias.FunctionVersion;
        }
        return _store.Version(f.Scope, f.Name, qualifier) ?? throw LambdaErrors.NotFound(FunctionArn(f.Scope, f.Name, qualifier));
    }

    private static bool IsVersionNumber(string s) => s.Length is > 0 and <= 10 && s.All(char.IsAsciiDigit);

    /// <summary>AWS's FunctionConfiguration for one version.</summary>
    private static Dictionary<string, object?> Configuration(Scope scope, FunctionVersionRecord v, string state = "Active", string updateStatus = "Successful",
        bool qualifyLatest = false)
    {
        var config = new Dictionary<string, object?>
        {
            ["FunctionName"] = v.FunctionName,
            ["FunctionArn"] = FunctionArn(scope, v.FunctionName, v.Version == LambdaStore.Latest && !qualifyLatest ? null : v.Version),
            ["Runtime"] = v.Runtime,
            ["Role"] = v.Role,
            ["Handler"] = v.Handler,
            ["CodeSize"] = v.CodeSize,
            ["Description"] = v.Description,
            ["Timeout"] = (long)v.Timeout,
            ["MemorySize"] = (long)v.MemorySize,
            ["LastModified"] = v.LastModified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture),
            ["CodeSha256"] = v.CodeSha256,
            ["Version"] = v.Version,
            ["TracingConfig"] = new Dictionary<string, object?> { ["Mode"] = v.TracingMode },
            ["RevisionId"] = v.RevisionId,
            ["State"] = state,
            ["LastUpdateStatus"] = updateStatus,
            ["PackageType"] = "Zip",
            ["Architectures"] = v.Architectures.Select(a => (object?)a).ToList(),
            ["EphemeralStorage"] = new Dictionary<string, object?> { ["Size"] = (long)v.EphemeralStorage },
            ["SnapStart"] = new Dictionary<string, object?> { ["ApplyOn"] = "None", ["OptimizationStatus"] = "Off" },
            ["LoggingConfig"] = new Dictionary<string, object?> { ["LogFormat"] = v.LogFormat, ["LogGroup"] = LogGroupOf(v) },
        };
        if (state == "Pending")
        {
            config["StateReason"] = "The function is being created.";
            config["StateReasonCode"] = "Creating";
        }
        if (updateStatus == "InProgress")
        {
            config["LastUpdateStatusReason"] = "The function is being created.";
            config["LastUpdateStatusReasonCode"] = "Creating";
        }
        if (v.Environment.Count > 0)
            config["Environment"] = new Dictionary<string, object?> { ["Variables"] = v.Environment.ToDictionary(e => e.Key, e => (object?)e.Value) };
        if (v.DeadLetterTargetArn is not null)
            config["DeadLetterConfig"] = new Dictionary<string, object?> { ["TargetArn"] = v.DeadLetterTargetArn };
        if (v.KmsKeyArn is not null) config["KMSKeyArn"] = v.KmsKeyArn;
        if (v.Layers.Count > 0) config["Layers"] = LayersOutput(v);
        return config;
    }

    internal static string LogGroupOf(FunctionVersionRecord v) => v.LogGroup ?? "/aws/lambda/" + v.FunctionName;

    /// <summary>One page of a listing: items after the Marker (an opaque token of ours), at most MaxItems.</summary>
    private static (List<T> Page, string? NextMarker) Page<T>(IEnumerable<T> ordered, Func<T, string> key, Dictionary<string, object?> input, int defaultMax = 50)
    {
        var max = input.GetInt("MaxItems") ?? defaultMax;
        if (max is < 1 or > 10000) throw LambdaErrors.Constraint(max, "maxItems", "Member must have value between 1 and 10000");
        var after = PageToken.Resume(input.GetString("Marker"), () => LambdaErrors.InvalidParameter("Invalid marker"));
        var items = ordered.Where(i => after is null || string.CompareOrdinal(key(i), after) > 0).Take(max + 1).ToList();
        var page = items.Take(max).ToList();
        return (page, items.Count > max ? PageToken.After(key(page[^1])) : null);
    }

    [GeneratedRegex(@"^(arn:(aws[a-zA-Z-]*)?:lambda:)?((?<region>[a-z]{2}(-gov)?-[a-z]+-\d{1}):)?((?<account>\d{12}):)?(function:)?(?<name>[a-zA-Z0-9\-_\.]+)(:(?<qualifier>\$LATEST|[a-zA-Z0-9\-_]+))?$")]
    private static partial Regex FunctionNamePattern();
}
