namespace Nephele.Core.Protocols;

/// <summary>Case-insensitive HTTP headers that keep every value of a repeated header.</summary>
public sealed class HeaderMap : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _items = [];

    public string? Get(string name)
    {
        string? found = null;
        foreach (var (k, v) in _items)
            if (string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
                found = found is null ? v : found + "," + v;
        return found;
    }

    public bool Contains(string name) => _items.Exists(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase));

    public void Add(string name, string value) => _items.Add(new(name, value));

    /// <summary>Replaces every value of the header.</summary>
    public void Set(string name, string value)
    {
        Remove(name);
        _items.Add(new(name, value));
    }

    public void Remove(string name) => _items.RemoveAll(kv => string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase));

    public int Count => _items.Count;

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _items.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
