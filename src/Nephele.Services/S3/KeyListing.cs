using System.Text;
using Nephele.Core.State;

namespace Nephele.Services.S3;

/// <summary>One page of a listing: entries and common prefixes in key order, counted together against MaxKeys.</summary>
internal sealed record ListingPage<T>(List<T> Items, List<string> Prefixes, bool Truncated, string? LastKey, bool LastWasPrefix);

/// <summary>
/// S3's listing walk over rows read from the store in key order, a bounded batch at a time. With a delimiter, every key
/// below a common prefix rolls up into that prefix and the walk jumps past the whole range in one read, so a page costs
/// about MaxKeys rows however many keys the prefixes hide.
/// </summary>
internal static class KeyListing
{
    /// <summary>Greater than any valid key that starts with the same prefix (keys are at most 1024 UTF-8 bytes; U+10FFFF is 4).</summary>
    public static readonly string PastPrefix = string.Concat(Enumerable.Repeat(char.ConvertFromUtf32(0x10FFFF), 257));

    /// <param name="fetch">Rows whose row key is after its first argument (null: from the start), at most its second argument of them.</param>
    /// <param name="keyOf">The object key of a row (used for prefixes).</param>
    /// <param name="rowOf">The row key of a row (the resume point).</param>
    /// <param name="skipAtOrBefore">Common prefixes at or before this key are not returned (StartAfter / Marker).</param>
    public static ListingPage<T> Walk<T>(Func<string?, int, List<T>> fetch, Func<T, string> keyOf, Func<T, string> rowOf,
        string prefix, string? delimiter, string? resumeAfter, string? skipAtOrBefore, int maxKeys)
    {
        var items = new List<T>();
        var prefixes = new List<string>();
        if (maxKeys <= 0) return new ListingPage<T>(items, prefixes, false, null, false);
        var cursor = resumeAfter;
        string? last = null;
        var lastWasPrefix = false;
        var count = 0;
        var afterJump = false;
        while (true)
        {
            // After a jump past a common prefix the next row often starts another one: read a few rows, not a page.
            var want = Math.Min(maxKeys - count + 1, afterJump ? 8 : 1001);
            var batch = fetch(cursor, want);
            var jumped = false;
            foreach (var row in batch)
            {
                var key = keyOf(row);
                if (!string.IsNullOrEmpty(delimiter))
                {
                    var at = key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
                    if (at >= 0)
                    {
                        var common = key[..(at + delimiter.Length)];
                        cursor = common + PastPrefix;
                        jumped = true;
                        if (skipAtOrBefore is not null && KeyOrder.Compare(common, skipAtOrBefore) <= 0) break;
                        if (count == maxKeys) return new ListingPage<T>(items, prefixes, true, last, lastWasPrefix);
                        prefixes.Add(common);
                        count++;
                        last = common;
                        lastWasPrefix = true;
                        break;
                    }
                }
                if (count == maxKeys) return new ListingPage<T>(items, prefixes, true, last, lastWasPrefix);
                items.Add(row);
                count++;
                last = key;
                lastWasPrefix = false;
                cursor = rowOf(row);
            }
            if (!jumped && batch.Count < want) return new ListingPage<T>(items, prefixes, false, last, lastWasPrefix);
            afterJump = jumped;
        }
    }

    /// <summary>EncodingType=url: percent-encoding with '/' kept, as S3 answers (clients decode with unquote_plus).</summary>
    public static string UrlEncode(string value)
    {
        var escaped = Uri.EscapeDataString(value);
        return escaped.Contains("%2F", StringComparison.Ordinal) ? escaped.Replace("%2F", "/", StringComparison.Ordinal) : escaped;
    }

    /// <summary>The opaque continuation token: where the next page resumes.</summary>
    public static string Token(string last, bool wasPrefix) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes((wasPrefix ? "p" : "k") + last));

    /// <summary>The row key to resume after, or null when the token is not one of ours.</summary>
    public static string? ResumeFrom(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.Length == 0) return null;
            return text[0] switch
            {
                'p' => text[1..] + PastPrefix,
                'k' => text[1..],
                _ => null,
            };
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
