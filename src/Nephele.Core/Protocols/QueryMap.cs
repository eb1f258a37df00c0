namespace Nephele.Core.Protocols;

/// <summary>Decoded query-string (or form body) parameters, in order, keeping repeated keys.</summary>
public sealed class QueryMap : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _items = [];

    public static QueryMap Parse(string query)
    {
        var map = new QueryMap();
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            map._items.Add(new(Decode(key), Decode(value)));
        }
        return map;
    }

    /// <summary>Form encoding: '+' is a space.</summary>
    public static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

    public bool Contains(string key) => _items.Exists(kv => kv.Key == key);

    public string? Get(string key)
    {
        foreach (var (k, v) in _items)
            if (k == key) return v;
        return null;
    }

    public IReadOnlyList<string> GetAll(string key) => _items.Where(kv => kv.Key == key).Select(kv => kv.Value).ToArray();

    public int Count => _items.Count;

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _items.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
