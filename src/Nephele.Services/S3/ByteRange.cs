using System.Globalization;

namespace Nephele.Services.S3;

/// <summary>An HTTP Range header ("bytes=0-9", "bytes=10-", "bytes=-5") resolved against an object's size.</summary>
internal readonly record struct ByteRange(long Start, long Length)
{
    public long End => Start + Length - 1;

    public string ContentRange(long size) => $"bytes {Start}-{End}/{size}";

    /// <summary>
    /// The range to serve, or null for the whole object: S3 ignores a header it cannot parse (and multiple ranges);
    /// a well-formed range that starts past the end is 416 InvalidRange.
    /// </summary>
    public static ByteRange? Parse(string? header, long size)
    {
        if (header is null) return null;
        var h = header.Trim();
        if (!h.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return null;
        var spec = h[6..].Trim();
        if (spec.Contains(',', StringComparison.Ordinal)) return null;
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0) return null;
        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix)) return null;
            if (suffix == 0 || size == 0) throw S3ObjectErrors.InvalidRange(size, header);
            var n = Math.Min(suffix, size);
            return new ByteRange(size - n, n);
        }
        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var start)) return null;
        long end;
        if (last.Length == 0) end = size - 1;
        else if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start) return null;
        if (start >= size) throw S3ObjectErrors.InvalidRange(size, header);
        end = Math.Min(end, size - 1);
        return new ByteRange(start, end - start + 1);
    }
}
