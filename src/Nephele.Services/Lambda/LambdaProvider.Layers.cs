using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Lambda;

/// <summary>Layers: PublishLayerVersion, GetLayerVersion(ByArn), ListLayers, ListLayerVersions, DeleteLayerVersion.</summary>
public sealed partial class LambdaProvider
{
    private const string LayerNotFound = "The resource you requested does not exist.";

    private LayerStore? _layerStore;
    private LayerStore Layers => _layerStore ??= new LayerStore(_env.State);

    internal static string LayerArn(Scope scope, string name) => $"arn:aws:lambda:{scope.Region}:{scope.AccountId}:layer:{name}";

    internal static string LayerVersionArn(Scope scope, string name, long version) =>
        LayerArn(scope, name) + ":" + version.ToString(CultureInfo.InvariantCulture);

    private async ValueTask<Dictionary<string, object?>> PublishLayerVersion(RequestContext ctx, Dictionary<string, object?> input)
    {
        var (scope, name) = ParseLayerName(ctx, input);
        if (scope != ctx.Scope) throw AccessDenied(ctx, "PublishLayerVersion", LayerArn(scope, name));
        var description = input.GetString("Description");
        if (description is { Length: > 256 }) throw LambdaErrors.Constraint(description, "description", "Member must have length less than or equal to 256");
        var license = input.GetString("LicenseInfo");
        if (license is { Length: > 512 }) throw LambdaErrors.Constraint(license, "licenseInfo", "Member must have length less than or equal to 512");
        var runtimes = ValidCompatibleRuntimes(input.GetStrings("CompatibleRuntimes"), "compatibleRuntimes");
        var architectures = ValidCompatibleArchitectures(input.GetStrings("CompatibleArchitectures"), "compatibleArchitectures");
        var content = input.GetStruct("Content") ?? throw LambdaErrors.Constraint(null, "content", "Member must not be null");
        var zip = await ReadPackageAsync(ctx, content);
        var sha = Convert.ToBase64String(SHA256.HashData(zip));
        var blob = $"{scope.AccountId}/{scope.Region}/layers/{name}/{Guid.NewGuid():N}.zip";
        await Layers.State.Blobs.WriteAsync("lambda", blob, new MemoryStream(zip), ctx.Aborted);
        var version = Layers.Transaction(() =>
        {
            var layer = Layers.Layer(scope, name) ?? new LayerRecord { Name = name };
            var record = new LayerVersionRecord
            {
                LayerName = name,
                Version = layer.NextVersion,
                Description = description,
                CompatibleRuntimes = runtimes,
                CompatibleArchitectures = architectures,
                LicenseInfo = license,
                CodeBlob = blob,
                CodeSha256 = sha,
                CodeSize = zip.Length,
                CreatedDate = ctx.Now,
            };
            Layers.PutVersion(scope, record);
            Layers.PutLayer(scope, layer with { NextVersion = layer.NextVersion + 1 });
            return record;
        });
        return LayerVersionOutput(scope, version);
    }

    private Dictionary<string, object?> GetLayerVersion(RequestContext ctx, Dictionary<string, object?> input)
    {
        var (scope, name) = ParseLayerName(ctx, input);
        var number = input.GetLong("VersionNumber") ?? 0;
        return LayerVersionOutput(scope, ReadableLayerVersion(ctx, scope, name, number, () => LambdaErrors.ResourceNotFound(LayerNotFound)));
    }

    private Dictionary<string, object?> GetLayerVersionByArn(RequestContext ctx, Dictionary<string, object?> input)
    {
        var arn = input.RequireString("Arn");
        var m = LayerVersionArnPattern().Match(arn);
        if (!m.Success || arn.Length > 140)
            throw LambdaErrors.Constraint(arn, "arn", "Member must satisfy regular expression pattern: " + LayerVersionArnRegex);
        var scope = new Scope(m.Groups["account"].Value, m.Groups["region"].Value);
        var version = long.Parse(m.Groups["version"].Value, CultureInfo.InvariantCulture);
        return LayerVersionOutput(scope, ReadableLayerVersion(ctx, scope, m.Groups["name"].Value, version, () => LambdaErrors.ResourceNotFound(LayerNotFound)));
    }

    private Dictionary<string, object?> ListLayers(RequestContext ctx, Dictionary<string, object?> input)
    {
        var (runtime, architecture) = LayerFilters(input);
        var matching = Layers.Layers(ctx.Scope)
            .Select(l => (Layer: l, Latest: Layers.Versions(ctx.Scope, l.Name).LastOrDefault(v => Matches(v, runtime, architecture))))
            .Where(x => x.Latest is not null);
        var (page, next) = LayerPage(matching, x => x.Layer.Name, input);
        return new()
        {
            ["Layers"] = page.Select(x => (object?)new Dictionary<string, object?>
            {
                ["LayerName"] = x.Layer.Name,
                ["LayerArn"] = LayerArn(ctx.Scope, x.Layer.Name),
                ["LatestMatchingVersion"] = LayerVersionItem(ctx.Scope, x.Latest!),
            }).ToList(),
            ["NextMarker"] = next,
        };
    }

    private Dictionary<string, object?> ListLayerVersions(RequestContext ctx, Dictionary<string, object?> input)
    {
        var (scope, name) = ParseLayerName(ctx, input);
        var (runtime, architecture) = LayerFilters(input);
        // Newest first, as AWS lists them.
        var versions = Layers.Versions(scope, name).Where(v => Matches(v, runtime, architecture)).Reverse();
        var (page, next) = LayerPage(versions, v => (long.MaxValue - v.Version).ToString("D19", CultureInfo.InvariantCulture), input);
        return new()
        {
            ["LayerVersions"] = page.Select(v => (object?)LayerVersionItem(scope, v)).ToList(),
            ["NextMarker"] = next,
        };
    }

    private Dictionary<string, object?> DeleteLayerVersion(RequestContext ctx, Dictionary<string, object?> input)
    {
        var (scope, name) = ParseLayerName(ctx, input);
        if (scope != ctx.Scope) throw AccessDenied(ctx, "DeleteLayerVersion", LayerArn(scope, name));
        var number = input.GetLong("VersionNumber") ?? 0;
        // Deleting is idempotent; functions that use the version keep its content, so the blob stays while they do.
        var deleted = Layers.Transaction(() =>
        {
            var version = Layers.Version(scope, name, number);
            if (version is null) return null;
            Layers.DeleteVersion(scope, name, number);
            return version;
        });
        if (deleted is not null && !LayerBlobInUse(scope, deleted.CodeBlob)) Layers.State.Blobs.Delete("lambda", deleted.CodeBlob);
        return new() { ["StatusCode"] = 204L };
    }

    private bool LayerBlobInUse(Scope scope, string blob) =>
        _store.Functions(scope).Any(fn => _store.Versions(scope, fn.Name).Any(v => v.Layers.Any(l => l.CodeBlob == blob)));

    /// <summary>A layer version the caller may read: its own, or another account's whose policy grants lambda:GetLayerVersion.</summary>
    private LayerVersionRecord ReadableLayerVersion(RequestContext ctx, Scope scope, string name, long number, Func<AwsException> missing)
    {
        var version = Layers.Version(scope, name, number);
        if (scope.AccountId != ctx.Scope.AccountId && (version is null || !GrantsGetLayerVersion(version, ctx.Scope.AccountId)))
            throw AccessDenied(ctx, "GetLayerVersion", LayerVersionArn(scope, name, number));
        return version ?? throw missing();
    }

    private static AwsException AccessDenied(RequestContext ctx, string action, string resource) =>
        new("AccessDeniedException",
            $"User: {ctx.Caller.Arn} is not authorized to perform: lambda:{action} on resource: {resource} because no resource-based policy allows the lambda:{action} action",
            403);

    private static Dictionary<string, object?> LayerVersionOutput(Scope scope, LayerVersionRecord v)
    {
        var output = LayerVersionItem(scope, v);
        output.Remove("LayerVersionArn");
        output["LayerArn"] = LayerArn(scope, v.LayerName);
        output["LayerVersionArn"] = LayerVersionArn(scope, v.LayerName, v.Version);
        output["Content"] = new Dictionary<string, object?> { ["CodeSha256"] = v.CodeSha256, ["CodeSize"] = v.CodeSize };
        return output;
    }

    private static Dictionary<string, object?> LayerVersionItem(Scope scope, LayerVersionRecord v)
    {
        var item = new Dictionary<string, object?>
        {
            ["LayerVersionArn"] = LayerVersionArn(scope, v.LayerName, v.Version),
            ["Version"] = v.Version,
            ["Description"] = v.Description,
            ["CreatedDate"] = v.CreatedDate.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture),
            ["LicenseInfo"] = v.LicenseInfo,
        };
        if (v.CompatibleRuntimes.Count > 0) item["CompatibleRuntimes"] = v.CompatibleRuntimes.Select(r => (object?)r).ToList();
        if (v.CompatibleArchitectures.Count > 0) item["CompatibleArchitectures"] = v.CompatibleArchitectures.Select(a => (object?)a).ToList();
        return item;
    }

    private static bool Matches(LayerVersionRecord v, string? runtime, string? architecture) =>
        (runtime is null || v.CompatibleRuntimes.Contains(runtime)) && (architecture is null || v.CompatibleArchitectures.Contains(architecture));

    private static (string? Runtime, string? Architecture) LayerFilters(Dictionary<string, object?> input)
    {
        var runtime = input.GetString("CompatibleRuntime");
        if (runtime is not null) ValidCompatibleRuntimes([runtime], "compatibleRuntime");
        var architecture = input.GetString("CompatibleArchitecture");
        if (architecture is not null && architecture is not ("x86_64" or "arm64"))
            throw LambdaErrors.Constraint(architecture, "compatibleArchitecture", "Member must satisfy enum value set: [x86_64, arm64]");
        return (runtime, architecture);
    }

    /// <summary>Layer listings page by at most 50 items.</summary>
    private static (List<T> Page, string? NextMarker) LayerPage<T>(IEnumerable<T> ordered, Func<T, string> key, Dictionary<string, object?> input)
    {
        if (input.GetInt("MaxItems") is { } max && max is < 1 or > 50)
            throw LambdaErrors.Constraint(max, "maxItems", max < 1 ? "Member must have value greater than or equal to 1" : "Member must have value less than or equal to 50");
        return Page(ordered, key, input);
    }

    private static List<string> ValidCompatibleRuntimes(IReadOnlyList<string> runtimes, string member)
    {
        if (runtimes.Count > 15) throw LambdaErrors.Constraint($"[{string.Join(", ", runtimes)}]", member, "Member must have length less than or equal to 15");
        foreach (var runtime in runtimes)
            if (!Runtime.RuntimeCatalog.Known.Contains(runtime))
                throw LambdaErrors.Constraint(member == "compatibleRuntime" ? runtime : $"[{string.Join(", ", runtimes)}]", member,
                    $"Member must satisfy enum value set: [{string.Join(", ", Runtime.RuntimeCatalog.Known)}]");
        return [.. runtimes];
    }

    private static List<string> ValidCompatibleArchitectures(IReadOnlyList<string> architectures, string member)
    {
        if (architectures.Count > 2 || architectures.Any(a => a is not ("x86_64" or "arm64")))
            throw LambdaErrors.Constraint($"[{string.Join(", ", architectures)}]", member,
                "Member must have length less than or equal to 2 and satisfy enum value set: [x86_64, arm64]");
        return [.. architectures.Distinct()];
    }

    /// <summary>A LayerName member: a name, or a layer ARN naming another region or account.</summary>
    private static (Scope Scope, string Name) ParseLayerName(RequestContext ctx, Dictionary<string, object?> input)
    {
        var raw = input.RequireString("LayerName");
        var m = LayerNamePattern().Match(raw);
        if (!m.Success || raw.Length > 140)
            throw LambdaErrors.Constraint(raw, "layerName",
                "Member must satisfy regular expression pattern: (arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+");
        if (!m.Groups["account"].Success) return (ctx.Scope, raw);
        return (new Scope(m.Groups["account"].Value, m.Groups["region"].Value), m.Groups["name"].Value);
    }

    private const string LayerVersionArnRegex = "arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+";

    [GeneratedRegex(@"^(arn:[a-zA-Z0-9-]+:lambda:(?<region>[a-zA-Z0-9-]+):(?<account>\d{12}):layer:(?<name>[a-zA-Z0-9\-_]+)|[a-zA-Z0-9\-_]+)$")]
    private static partial Regex LayerNamePattern();

    [GeneratedRegex(@"^arn:[a-zA-Z0-9-]+:lambda:(?<region>[a-zA-Z0-9-]+):(?<account>\d{12}):layer:(?<name>[a-zA-Z0-9\-_]+):(?<version>[0-9]{1,18})$")]
    private static partial Regex LayerVersionArnPattern();
}
