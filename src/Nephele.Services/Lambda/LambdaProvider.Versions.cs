using System.Globalization;
using System.Text.RegularExpressions;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Lambda;

public sealed partial class LambdaProvider
{
    private Dictionary<string, object?> PublishVersion(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input, allowQualifier: false);
        RequireFunction(f);
        return Configuration(f.Scope, Publish(ctx, f, input.GetString("CodeSha256"), input.GetString("RevisionId"), input.GetString("Description")));
    }

    /// <summary>Publishes $LATEST; when nothing changed since the newest version, AWS hands back that version.</summary>
    private FunctionVersionRecord Publish(RequestContext ctx, FunctionRef f, string? codeSha, string? revisionId, string? description) => _store.Transaction(() =>
    {
        var function = RequireFunction(f);
        var latest = ResolveVersion(f, LambdaStore.Latest);
        if (codeSha is not null && codeSha != latest.CodeSha256)
            throw LambdaErrors.InvalidParameter($"CodeSHA256 ({codeSha}) is different from current CodeSHA256 in $LATEST ({latest.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.");
        if (revisionId is not null && revisionId != latest.RevisionId) throw LambdaErrors.PreconditionFailed();
        var newest = _store.Versions(f.Scope, f.Name).LastOrDefault(v => v.Version != LambdaStore.Latest);
        if (newest is not null && newest.RevisionId == latest.RevisionId) return newest;
        var version = latest with
        {
            Version = function.NextVersion.ToString(CultureInfo.InvariantCulture),
            Description = description ?? latest.Description,
            LastModified = ctx.Now,
        };
        _store.PutVersion(f.Scope, version);
        _store.PutFunction(f.Scope, function with { NextVersion = function.NextVersion + 1 });
        return version;
    });

    private Dictionary<string, object?> ListVersionsByFunction(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input, allowQualifier: false);
        RequireFunction(f);
        var (page, next) = Page(_store.Versions(f.Scope, f.Name), v => v.Version == LambdaStore.Latest ? "" : v.Version.PadLeft(10, '0'), input);
        return new()
        {
            ["Versions"] = page.Select(v => (object?)Configuration(f.Scope, v, qualifyLatest: true)).ToList(),
            ["NextMarker"] = next,
        };
    }

    private Dictionary<string, object?> CreateAlias(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input, allowQualifier: false);
        var name = ValidAliasName(input.RequireString("Name"));
        var alias = new AliasRecord
        {
            FunctionName = f.Name,
            Name = name,
            FunctionVersion = input.RequireString("FunctionVersion"),
            Description = input.GetString("Description") ?? "",
            AdditionalVersionWeights = Weights(input),
            RevisionId = Guid.NewGuid().ToString(),
        };
        return _store.Transaction(() =>
        {
            RequireFunction(f);
            ValidateAliasTargets(f, alias);
            if (_store.Alias(f.Scope, f.Name, name) is not null)
                throw LambdaErrors.Conflict($"Alias already exists: {FunctionArn(f.Scope, f.Name, name)}");
            _store.PutAlias(f.Scope, alias);
            return AliasOutput(f.Scope, alias);
        });
    }

    private Dictionary<string, object?> GetAlias(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input, allowQualifier: false);
        return AliasOutput(f.Scope, RequireAlias(f, input.RequireString("Name")));
    }

    private Dictionary<string, object?> UpdateAlias(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input, allowQualifier: false);
        return _store.Transaction(() =>
        {
            var alias = RequireAlias(f, input.RequireString("Name"));
            CheckRevision(input, alias.RevisionId);
            alias = alias with
            {
                FunctionVersion = input.GetString("FunctionVersion") ?? alias.FunctionVersion,
                Description = input.GetString("Description") ?? alias.Description,
                AdditionalVersionWeights = input.ContainsKey("RoutingConfig") ? Weights(input) : alias.AdditionalVersionWeights,
                RevisionId = Guid.NewGuid().ToString(),
            };
            ValidateAliasTargets(f, alias);
            _store.PutAlias(f.Scope, alias);
            return AliasOutput(f.Scope, alias);
        });
    }

    private Dictionary<string, object?> DeleteAlias(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input, allowQualifier: false);
        RequireFunction(f);
        _store.DeleteAlias(f.Scope, f.Name, input.RequireString("Name"));
        DeleteProvisionedOf(f.Scope, f.Name, input.RequireString("Name"));
        DeleteFunctionUrls(f.Scope, f.Name, input.RequireString("Name"));
        return [];
    }

    private Dictionary<string, object?> ListAliases(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input, allowQualifier: false);
        RequireFunction(f);
        var version = input.GetString("FunctionVersion");
        var aliases = _store.Aliases(f.Scope, f.Name).Where(a => version is null || a.FunctionVersion == version);
        var (page, next) = Page(aliases, a => a.Name, input);
        return new()
        {
            ["Aliases"] = page.Select(a => (object?)AliasOutput(f.Scope, a)).ToList(),
            ["NextMarker"] = next,
        };
    }

    private AliasRecord RequireAlias(FunctionRef f, string name)
    {
        RequireFunction(f);
        return _store.Alias(f.Scope, f.Name, name) ?? throw LambdaErrors.ResourceNotFound($"Alias not found: {FunctionArn(f.Scope, f.Name, name)}");
    }

    private void ValidateAliasTargets(FunctionRef f, AliasRecord alias)
    {
        if (alias.FunctionVersion != LambdaStore.Latest && (!IsVersionNumber(alias.FunctionVersion) || _store.Version(f.Scope, f.Name, alias.FunctionVersion) is null))
            throw LambdaErrors.NotFound(FunctionArn(f.Scope, f.Name, alias.FunctionVersion));
        foreach (var (version, _) in alias.AdditionalVersionWeights)
        {
            if (version == alias.FunctionVersion)
                throw LambdaErrors.InvalidParameter("Invalid function version " + version + ". Function version " + version + " is already included in routing configuration.");
            if (!IsVersionNumber(version) || alias.FunctionVersion == LambdaStore.Latest)
                throw LambdaErrors.InvalidParameter("$LATEST is not supported for an alias pointing to more than 1 version");
            if (_store.Version(f.Scope, f.Name, version) is null)
                throw LambdaErrors.NotFound(FunctionArn(f.Scope, f.Name, version));
        }
    }

    private static Dictionary<string, double> Weights(Dictionary<string, object?> input)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (version, value) in input.GetStruct("RoutingConfig")?.GetStruct("AdditionalVersionWeights") ?? [])
        {
            var weight = value switch { double d => d, long l => l, decimal m => (double)m, _ => -1 };
            if (weight is < 0 or > 1)
                throw LambdaErrors.Constraint(weight, "routingConfig.additionalVersionWeights", "Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0]");
            weights[version] = weight;
        }
        if (weights.Count > 1)
            throw LambdaErrors.Constraint(weights.Count, "routingConfig.additionalVersionWeights", "Member must have length less than or equal to 1");
        return weights;
    }

    private static Dictionary<string, object?> AliasOutput(Scope scope, AliasRecord a)
    {
        var output = new Dictionary<string, object?>
        {
            ["AliasArn"] = FunctionArn(scope, a.FunctionName, a.Name),
            ["Name"] = a.Name,
            ["FunctionVersion"] = a.FunctionVersion,
            ["Description"] = a.Description,
            ["RevisionId"] = a.RevisionId,
        };
        if (a.AdditionalVersionWeights.Count > 0)
            output["RoutingConfig"] = new Dictionary<string, object?>
            {
                ["AdditionalVersionWeights"] = a.AdditionalVersionWeights.ToDictionary(w => w.Key, w => (object?)w.Value),
            };
        return output;
    }

    /// <summary>The version an alias sends this invocation to: the additional version with its weight's probability.</summary>
    private static string Route(AliasRecord alias)
    {
        foreach (var (version, weight) in alias.AdditionalVersionWeights)
            if (Random.Shared.NextDouble() < weight) return version;
        return alias.FunctionVersion;
    }

    private static string ValidAliasName(string name)
    {
        if (name.Length > 128 || !AliasNamePattern().IsMatch(name))
            throw LambdaErrors.Constraint(name, "name", "Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)");
        return name;
    }

    [GeneratedRegex(@"^(?!^[0-9]+$)([a-zA-Z0-9\-_]+)$")]
    private static partial Regex AliasNamePattern();
}
