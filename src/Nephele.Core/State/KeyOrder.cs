using System.Text;

namespace Nephele.Core.State;

/// <summary>
/// The order keys are listed in: UTF-8 bytes, which equals Unicode code point order. It is what SQLite's
/// BINARY collation gives for TEXT and what S3 ("UTF-8 binary order") and DynamoDB use; it differs from
/// .NET's ordinal (UTF-16) order only between supplementary characters and U+E000..U+FFFF.
/// </summary>
public static class KeyOrder
{
    public static readonly IComparer<string> Comparer = Comparer<string>.Create(Compare);

    public static int Compare(string? a, string? b)
    {
        if (ReferenceEquals(a, b)) return 0;
        if (a is null) return -1;
        if (b is null) return 1;
        var ea = a.EnumerateRunes();
        var eb = b.EnumerateRunes();
        while (true)
        {
            var hasA = ea.MoveNext();
            var hasB = eb.MoveNext();
            if (!hasA || !hasB) return hasA ? 1 : hasB ? -1 : 0;
            var c = ea.Current.Value.CompareTo(eb.Current.Value);
            if (c != 0) return c;
        }
    }

    /// <summary>
    /// The least string greater than every string that starts with <paramref name="prefix"/> (its last code point
    /// incremented), or null when there is none; lets a prefix scan be an index range.
    /// </summary>
    public static string? PrefixUpperBound(string prefix)
    {
        if (prefix.Length > 0 && prefix[^1] is var c && !char.IsSurrogate(c) && c != '\uD7FF' && c != '\uFFFF')
            return string.Concat(prefix.AsSpan(0, prefix.Length - 1), [(char)(c + 1)]);
        var runes = prefix.EnumerateRunes().ToList();
        while (runes.Count > 0)
        {
            var last = runes[^1].Value;
            runes.RemoveAt(runes.Count - 1);
            if (last == 0x10FFFF) continue;
            // Skip the surrogate range, which holds no scalar values.
            var next = last == 0xD7FF ? 0xE000 : last + 1;
            var sb = new StringBuilder(prefix.Length + 1);
            foreach (var r in runes) sb.Append(r.ToString());
            sb.Append(new Rune(next).ToString());
            return sb.ToString();
        }
        return null;
    }
}
