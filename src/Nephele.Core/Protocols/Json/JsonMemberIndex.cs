using System.Runtime.CompilerServices;
using System.Text;
using Nephele.Core.Models;

namespace Nephele.Core.Protocols.Json;

/// <summary>A structure's members by JSON key (locationName, else name), found from the reader's UTF-8 bytes without allocating.</summary>
internal sealed class JsonMemberIndex
{
    private static readonly ConditionalWeakTable<Shape, JsonMemberIndex> Cache = new();

    private readonly Dictionary<string, Member> _byKey;
    private readonly Dictionary<string, Member>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    private JsonMemberIndex(Shape shape)
    {
        _byKey = new Dictionary<string, Member>(shape.Members.Count, StringComparer.Ordinal);
        foreach (var m in shape.Members) _byKey.TryAdd(m.WireName, m);
        _bySpan = _byKey.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public static JsonMemberIndex For(Shape shape) => Cache.GetValue(shape, s => new JsonMemberIndex(s));

    public Member? Find(ReadOnlySpan<byte> utf8Key)
    {
        if (utf8Key.Length > 128) return _byKey.GetValueOrDefault(Encoding.UTF8.GetString(utf8Key));
        Span<char> chars = stackalloc char[128];
        var n = Encoding.UTF8.GetChars(utf8Key, chars);
        return _bySpan.TryGetValue(chars[..n], out var m) ? m : null;
    }

    public Member? Find(string key) => _byKey.GetValueOrDefault(key);
}
