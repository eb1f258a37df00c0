using System.Globalization;
using Nephele.Core.State;

namespace Nephele.Services.Lambda;

/// <summary>Layers and their versions, per account and region. Version rows sort in number order (zero-padded keys).</summary>
internal sealed class LayerStore(IStateStore state)
{
    private readonly IResourceTable _layers = state.Table("lambda", "layers");
    private readonly IResourceTable _versions = state.Table("lambda", "layer-versions");

    public IStateStore State => state;

    public T Transaction<T>(Func<T> work) => state.Transaction(work);

    public LayerRecord? Layer(Scope scope, string name) => _layers.Get(scope, name, LayerJsonContext.Default.LayerRecord);

    public void PutLayer(Scope scope, LayerRecord layer) => _layers.Put(scope, layer.Name, layer, LayerJsonContext.Default.LayerRecord);

    public IEnumerable<LayerRecord> Layers(Scope scope) => _layers.Values(scope, LayerJsonContext.Default.LayerRecord);

    public LayerVersionRecord? Version(Scope scope, string name, long version) =>
        _versions.Get(scope, Key(name, version), LayerJsonContext.Default.LayerVersionRecord);

    public void PutVersion(Scope scope, LayerVersionRecord version) =>
        _versions.Put(scope, Key(version.LayerName, version.Version), version, LayerJsonContext.Default.LayerVersionRecord);

    public bool DeleteVersion(Scope scope, string name, long version) => _versions.Delete(scope, Key(name, version));

    /// <summary>The versions of one layer, oldest first.</summary>
    public IEnumerable<LayerVersionRecord> Versions(Scope scope, string name) =>
        _versions.Values(scope, LayerJsonContext.Default.LayerVersionRecord, name + ":");

    private static string Key(string name, long version) => name + ":" + version.ToString("D10", CultureInfo.InvariantCulture);
}
