using System.IO.Compression;
using System.Text.Json;

namespace Nephele.Services.Ssm;

/// <summary>One parameter AWS publishes under /aws/service/: the same for every account, read-only.</summary>
internal sealed record PublicParameter(string Name, string Value, long Version, DateTimeOffset LastModifiedDate);

/// <summary>
/// The public parameters templates commonly resolve (latest Amazon Linux and ECS-optimized AMI ids per region, the
/// global-infrastructure tree of regions and services), from an embedded snapshot that
/// tools/update-public-parameters.py writes. Loaded on first use; each list is in ordinal name order, the order
/// GetParametersByPath pages in.
/// </summary>
internal static class PublicParameters
{
    public const string Prefix = "/aws/service/";

    private static readonly Lazy<Catalog> Data = new(Load);

    public static bool IsPublic(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);

    public static PublicParameter? Find(string region, string name)
    {
        var catalog = Data.Value;
        return Lookup(catalog.Shared, name) ?? (catalog.Regional.TryGetValue(region, out var own) ? Lookup(own, name) : null);
    }

    /// <summary>The parameters whose names start with <paramref name="prefix"/>, in ordinal name order.</summary>
    public static IEnumerable<PublicParameter> Under(string region, string prefix)
    {
        var catalog = Data.Value;
        var shared = Range(catalog.Shared, prefix);
        var own = catalog.Regional.TryGetValue(region, out var list) ? Range(list, prefix) : [];
        return Merge(shared, own);
    }

    private static PublicParameter? Lookup(PublicParameter[] sorted, string name)
    {
        var at = Array.BinarySearch(sorted, new PublicParameter(name, "", 0, default), ByName.Instance);
        return at >= 0 ? sorted[at] : null;
    }

    private static ArraySegment<PublicParameter> Range(PublicParameter[] sorted, string prefix)
    {
        var start = Array.BinarySearch(sorted, new PublicParameter(prefix, "", 0, default), ByName.Instance);
        if (start < 0) start = ~start;
        var end = start;
        while (end < sorted.Length && sorted[end].Name.StartsWith(prefix, StringComparison.Ordinal)) end++;
        return new(sorted, start, end - start);
    }

    private static IEnumerable<PublicParameter> Merge(IReadOnlyList<PublicParameter> a, IReadOnlyList<PublicParameter> b)
    {
        int i = 0, j = 0;
        while (i < a.Count || j < b.Count)
        {
            if (j == b.Count || (i < a.Count && string.CompareOrdinal(a[i].Name, b[j].Name) <= 0)) yield return a[i++];
            else yield return b[j++];
        }
    }

    private sealed record Catalog(PublicParameter[] Shared, Dictionary<string, PublicParameter[]> Regional);

    private static Catalog Load()
    {
        using var resource = typeof(PublicParameters).Assembly.GetManifestResourceStream("Nephele.Services.Ssm.PublicParameters.json.gz")
            ?? throw new InvalidOperationException("The SSM public parameter resource is missing.");
        using var json = JsonDocument.Parse(new GZipStream(resource, CompressionMode.Decompress));
        var rows = new List<(string Region, JsonElement Row)>();
        foreach (var row in json.RootElement.GetProperty("shared").EnumerateArray()) rows.Add(("", row));
        foreach (var region in json.RootElement.GetProperty("regional").EnumerateObject())
            foreach (var row in region.Value.EnumerateArray()) rows.Add((region.Name, row));
        // Rows recorded without a date (the trees) take the snapshot's newest date rather than a made-up "now".
        var snapshot = rows.Select(r => r.Row[3]).Where(d => d.ValueKind == JsonValueKind.Number)
            .Select(d => d.GetDouble()).DefaultIfEmpty(0).Max();
        var parameters = rows.Select(r => (r.Region, Parameter: new PublicParameter(r.Row[0].GetString()!, r.Row[1].GetString()!, r.Row[2].GetInt64(),
            DateTimeOffset.FromUnixTimeMilliseconds((long)((r.Row[3].ValueKind == JsonValueKind.Number ? r.Row[3].GetDouble() : snapshot) * 1000)))));
        var byRegion = parameters.GroupBy(p => p.Region, p => p.Parameter)
            .ToDictionary(g => g.Key, g => g.OrderBy(p => p.Name, StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        var shared = byRegion.Remove("", out var s) ? s : [];
        return new(shared, byRegion);
    }

    private sealed class ByName : IComparer<PublicParameter>
    {
        public static readonly ByName Instance = new();

        public int Compare(PublicParameter? x, PublicParameter? y) => string.CompareOrdinal(x?.Name, y?.Name);
    }
}
