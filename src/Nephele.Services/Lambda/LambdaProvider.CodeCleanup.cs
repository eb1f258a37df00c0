using Nephele.Services.Lambda.Runtime;

namespace Nephele.Services.Lambda;

/// <summary>
/// Unpacked packages (code/&lt;sha256&gt;, opt/&lt;layers hash&gt;) are shared by content, across functions and accounts, so
/// one is removed only when no stored version of any function uses it: after deletes and code or layer updates, and at
/// startup for what a previous process left behind.
/// </summary>
public sealed partial class LambdaProvider
{
    /// <summary>The code hashes and layer lists stored versions use.</summary>
    private (IReadOnlySet<string> Code, IReadOnlySet<string> Opt) LiveUnpacked()
    {
        var code = new HashSet<string>(StringComparer.Ordinal);
        var opt = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scope in _store.Scopes())
            foreach (var function in _store.Functions(scope))
                foreach (var version in _store.Versions(scope, function.Name))
                {
                    code.Add(Convert.ToHexStringLower(Convert.FromBase64String(version.CodeSha256)));
                    if (version.Layers.Count > 0) opt.Add(OptDirectory.Id(version.Layers));
                }
        return (code, opt);
    }

    /// <summary>After a change that can leave unpacked code unused (the request's own writes are already durable).</summary>
    private async Task CollectUnpackedCodeAsync()
    {
        // Cached specs may name directories about to go.
        _specs.Clear();
        if (_runtime.IsValueCreated) await _runtime.Value.CollectUnpackedAsync(LiveUnpacked);
    }

    /// <summary>At startup, off the startup path: orphans of deleted versions and the /tmp of environments of the previous process.</summary>
    private void CollectOrphansAtStartup()
    {
        if (_env.Options.Ephemeral) return;
        var root = LambdaRuntime.PersistentRoot(_env);
        if (!Directory.Exists(root)) return;
        var started = DateTime.UtcNow;
        _ = Task.Run(() =>
        {
            try
            {
                var (code, opt) = LiveUnpacked();
                UnpackedCode.Collect(root, code, opt, _runtime.IsValueCreated ? _runtime.Value.DirectoriesInUse() : new HashSet<string>(), tmpBefore: started);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
            }
        });
    }
}
