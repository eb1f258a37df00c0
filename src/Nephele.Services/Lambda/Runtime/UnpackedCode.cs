namespace Nephele.Services.Lambda.Runtime;

/// <summary>
/// Removes unpacked packages nothing uses any more: &lt;root&gt;/code/&lt;sha256&gt; of deleted functions and versions,
/// &lt;root&gt;/opt/&lt;hash&gt; of layer lists no version has, and (at startup) /tmp directories of environments a
/// previous process left behind. Live sets come from the stored versions, so orphans of a crash go too.
/// </summary>
internal static class UnpackedCode
{
    /// <summary>Deletes what is not live; <paramref name="tmpBefore"/> also clears environments' /tmp directories created before it.</summary>
    public static int Collect(string root, IReadOnlySet<string> liveCode, IReadOnlySet<string> liveOpt, IReadOnlySet<string> inUse, DateTime? tmpBefore = null)
    {
        var removed = 0;
        void Sweep(string directory, Func<string, bool> keep)
        {
            if (!Directory.Exists(directory)) return;
            foreach (var entry in Directory.EnumerateDirectories(directory))
            {
                var name = Path.GetFileName(entry);
                // A .partial directory is an extraction in progress (or one a crash interrupted; extraction restarts it).
                if (name.EndsWith(".partial", StringComparison.Ordinal) || inUse.Contains(entry) || keep(name)) continue;
                if (TryDelete(entry)) removed++;
            }
        }
        Sweep(Path.Combine(root, "code"), liveCode.Contains);
        Sweep(Path.Combine(root, "opt"), liveOpt.Contains);
        if (tmpBefore is { } before)
            Sweep(Path.Combine(root, "tmp"), name => Directory.GetCreationTimeUtc(Path.Combine(root, "tmp", name)) >= before);
        return removed;
    }

    private static bool TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
