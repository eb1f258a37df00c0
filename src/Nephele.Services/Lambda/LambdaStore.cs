using System.Globalization;
using Nephele.Core.State;

namespace Nephele.Services.Lambda;

/// <summary>
/// Functions, their versions and aliases. Versions are keyed "function:NNNNNNNNNN" (zero-padded, so they list in
/// number order) and "function:$LATEST"; aliases "function:alias".
/// </summary>
internal sealed class LambdaStore(IStateStore state)
{
    public const string Latest = "$LATEST";

    private readonly IResourceTable _functions = state.Table("lambda", "functions");
    private readonly IResourceTable _versions = state.Table("lambda", "versions");
    private readonly IResourceTable _aliases = state.Table("lambda", "aliases");
    private readonly IResourceTable _provisioned = state.Table("lambda", "provisioned-concurrency");

    public IStateStore State => state;

    public T Transaction<T>(Func<T> work) => state.Transaction(work);

    public FunctionRecord? Function(Scope scope, string name) => _functions.Get(scope, name, LambdaJsonContext.Default.FunctionRecord);

    public void PutFunction(Scope scope, FunctionRecord function) => _functions.Put(scope, function.Name, function, LambdaJsonContext.Default.FunctionRecord);

    public IEnumerable<FunctionRecord> Functions(Scope scope) => _functions.Values(scope, LambdaJsonContext.Default.FunctionRecord);

    public IReadOnlyList<Scope> Scopes() => _functions.Scopes();

    public FunctionVersionRecord? Version(Scope scope, string function, string version) =>
        _versions.Get(scope, VersionKey(function, version), LambdaJsonContext.Default.FunctionVersionRecord);

    public void PutVersion(Scope scope, FunctionVersionRecord version) =>
        _versions.Put(scope, VersionKey(version.FunctionName, version.Version), version, LambdaJsonContext.Default.FunctionVersionRecord);

    public bool DeleteVersion(Scope scope, string function, string version) => _versions.Delete(scope, VersionKey(function, version));

    /// <summary>$LATEST first (its key sorts before digits), then published versions in number order.</summary>
    public IEnumerable<FunctionVersionRecord> Versions(Scope scope, string function) =>
        _versions.Values(scope, LambdaJsonContext.Default.FunctionVersionRecord, function + ":");

    public AliasRecord? Alias(Scope scope, string function, string alias) =>
        _aliases.Get(scope, function + ":" + alias, LambdaJsonContext.Default.AliasRecord);

    public void PutAlias(Scope scope, AliasRecord alias) =>
        _aliases.Put(scope, alias.FunctionName + ":" + alias.Name, alias, LambdaJsonContext.Default.AliasRecord);

    public bool DeleteAlias(Scope scope, string function, string alias) => _aliases.Delete(scope, function + ":" + alias);

    public IEnumerable<AliasRecord> Aliases(Scope scope, string function) =>
        _aliases.Values(scope, LambdaJsonContext.Default.AliasRecord, function + ":");

    public ProvisionedConcurrencyRecord? Provisioned(Scope scope, string function, string qualifier) =>
        _provisioned.Get(scope, function + ":" + qualifier, LambdaJsonContext.Default.ProvisionedConcurrencyRecord);

    public void PutProvisioned(Scope scope, ProvisionedConcurrencyRecord record) =>
        _provisioned.Put(scope, record.FunctionName + ":" + record.Qualifier, record, LambdaJsonContext.Default.ProvisionedConcurrencyRecord);

    public bool DeleteProvisioned(Scope scope, string function, string qualifier) => _provisioned.Delete(scope, function + ":" + qualifier);

    public IEnumerable<ProvisionedConcurrencyRecord> ProvisionedConfigs(Scope scope, string function) =>
        _provisioned.Values(scope, LambdaJsonContext.Default.ProvisionedConcurrencyRecord, function + ":");

    public IEnumerable<ProvisionedConcurrencyRecord> ProvisionedConfigs(Scope scope) =>
        _provisioned.Values(scope, LambdaJsonContext.Default.ProvisionedConcurrencyRecord);

    public IReadOnlyList<Scope> ProvisionedScopes() => _provisioned.Scopes();

    /// <summary>Deletes a function with its versions and aliases; returns the code blobs no longer referenced.</summary>
    public IReadOnlyList<string> DeleteFunction(Scope scope, string name)
    {
        var blobs = Versions(scope, name).Select(v => v.CodeBlob).Distinct().ToList();
        foreach (var row in _versions.List(scope, name + ":")) _versions.Delete(scope, row.Key);
        foreach (var row in _aliases.List(scope, name + ":")) _aliases.Delete(scope, row.Key);
        foreach (var row in _provisioned.List(scope, name + ":")) _provisioned.Delete(scope, row.Key);
        _functions.Delete(scope, name);
        return blobs;
    }

    private static string VersionKey(string function, string version) =>
        function + ":" + (version == Latest ? version : long.Parse(version, CultureInfo.InvariantCulture).ToString("D10", CultureInfo.InvariantCulture));
}
