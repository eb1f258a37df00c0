using System.Globalization;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Lambda;

/// <summary>A function's Layers member: up to 5 layer version ARNs, resolved when the configuration is written.</summary>
public sealed partial class LambdaProvider
{
    private const int MaxFunctionLayers = 5;

    /// <summary>The layers named by the input's Layers member; null when the member is absent (nothing changes).</summary>
    private List<FunctionLayer>? FunctionLayers(RequestContext ctx, FunctionRef f, Dictionary<string, object?> input)
    {
        if (!input.ContainsKey("Layers")) return null;
        var arns = input.GetStrings("Layers");
        foreach (var arn in arns)
            if (arn.Length > 140 || !LayerVersionArnPattern().IsMatch(arn))
                throw LambdaErrors.Constraint($"[{string.Join(", ", arns)}]", "layers",
                    "Member must satisfy constraint: [Member must have length less than or equal to 140, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: (arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+), Member must not be null]");
        if (arns.Count > MaxFunctionLayers) throw LambdaErrors.InvalidParameter($"Cannot reference more than {MaxFunctionLayers} layers.");
        var resolved = new List<FunctionLayer>(arns.Count);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var arn in arns)
        {
            var m = LayerVersionArnPattern().Match(arn);
            var scope = new Scope(m.Groups["account"].Value, m.Groups["region"].Value);
            if (scope.Region != f.Scope.Region)
                throw LambdaErrors.InvalidParameter($"Layers are not in the same region as the function. Layers are expected to be in region {f.Scope.Region}.");
            var layerArn = LayerArn(scope, m.Groups["name"].Value);
            if (seen.TryGetValue(layerArn, out var other))
                throw LambdaErrors.InvalidParameter(
                    $"Two different versions of the same layer are not allowed to be referenced in the same function. {other} and {arn} are versions of the same layer.");
            seen[layerArn] = arn;
            var number = long.Parse(m.Groups["version"].Value, CultureInfo.InvariantCulture);
            var version = ReadableLayerVersion(ctx, scope, m.Groups["name"].Value, number,
                () => LambdaErrors.InvalidParameter($"Layer version {arn} does not exist."));
            resolved.Add(new FunctionLayer(LayerVersionArn(scope, version.LayerName, version.Version), version.CodeSize, version.CodeSha256, version.CodeBlob));
        }
        return resolved;
    }

    private static List<object?> LayersOutput(FunctionVersionRecord v) =>
        v.Layers.Select(l => (object?)new Dictionary<string, object?> { ["Arn"] = l.Arn, ["CodeSize"] = l.CodeSize }).ToList();

    /// <summary>What Invoke adds to an environment's spec: the assembly a dotnet function runs, and its layers in an
    /// /opt-equivalent directory (see Runtime/OptDirectory.cs).</summary>
    private async Task<Runtime.FunctionSpec> PrepareEnvironmentAsync(Runtime.FunctionSpec spec, FunctionVersionRecord version, Runtime.LambdaRuntime runtime)
    {
        if (Runtime.DotnetLaunch.Applies(spec.Runtime)) spec = spec with { Launch = Runtime.DotnetLaunch.For(spec) };
        if (version.Layers.Count == 0) return spec;
        var root = Path.GetDirectoryName(runtime.RuntimeDirectory)!;
        var opt = await Runtime.OptDirectory.PrepareAsync(root, _store.State.Blobs, version.Layers);
        return spec with { OptDirectory = opt, Launch = Runtime.OptDirectory.Launch(spec, opt) };
    }
}
