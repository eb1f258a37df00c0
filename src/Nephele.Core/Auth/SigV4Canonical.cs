using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Nephele.Core.Protocols;

namespace Nephele.Core.Auth;

/// <summary>How the canonical URI is derived from the path as sent.</summary>
public enum CanonicalPathRules
{
    /// <summary>S3: no dot-segment normalization, each segment encoded once (decoded as sent, then re-encoded).</summary>
    S3,
    /// <summary>Every other service: dot segments and empty segments removed, then the sent path encoded again
    /// (so "%20" on the wire signs as "%2520" — AWS's "double encoding").</summary>
    Normalized,
    /// <summary>Double encoding without normalization: what some clients sign for non-S3 services.</summary>
    Unnormalized,
}

/// <summary>The pieces of a SigV4 signature: canonical request, string to sign, signing key.</summary>
public static class SigV4Canonical
{
    public const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    public const string StreamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    public const string StreamingPayloadTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    public const string StreamingUnsignedPayloadTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    public const string StreamingV4APayload = "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD";
    public const string StreamingV4APayloadTrailer = "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER";

    public static string CanonicalRequest(AwsRequest request, SigV4Credential credential, string payloadHash, CanonicalPathRules pathRules)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credential);
        var sb = new StringBuilder(256);
        sb.Append(request.Method).Append('\n');
        AppendCanonicalUri(sb, request.Path, pathRules);
        sb.Append('\n');
        AppendCanonicalQuery(sb, request.QueryString, excludeSignature: credential.IsPresigned);
        sb.Append('\n');
        AppendCanonicalHeaders(sb, request, credential.SignedHeaders);
        sb.Append('\n').Append(credential.SignedHeaders).Append('\n').Append(payloadHash);
        return sb.ToString();
    }

    public static string StringToSign(string timestamp, string scope, string canonicalRequest) =>
        $"{SigV4Credential.Algorithm}\n{timestamp}\n{scope}\n{Sha256Hex(canonicalRequest)}";

    public static byte[] SigningKey(string secretAccessKey, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    public static byte[] Sign(byte[] signingKey, string stringToSign) =>
        HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign));

    /// <summary>64 hex digits: a literal payload hash rather than one of the UNSIGNED/STREAMING markers.</summary>
    public static bool IsSha256Hex(string value) => value.Length == 64 && !value.AsSpan().ContainsAnyExcept(HexDigits);

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static string Sha256Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static void AppendCanonicalUri(StringBuilder sb, string rawPath, CanonicalPathRules rules)
    {
        ArgumentNullException.ThrowIfNull(sb);
        var path = string.IsNullOrEmpty(rawPath) ? "/" : rawPath;
        if (rules == CanonicalPathRules.Normalized) path = RemoveDotSegments(path);
        var span = path.AsSpan();
        var start = 0;
        for (var i = 0; i <= span.Length; i++)
        {
            if (i < span.Length && span[i] != '/') continue;
            var segment = span[start..i];
            if (rules == CanonicalPathRules.S3)
                UriEncode(sb, segment.Contains('%') ? Uri.UnescapeDataString(segment.ToString()) : segment);
            else
                UriEncode(sb, segment);
            if (i < span.Length) sb.Append('/');
            start = i + 1;
        }
    }

    /// <summary>RFC 3986 dot-segment removal, plus AWS's collapsing of empty segments ("//").</summary>
    internal static string RemoveDotSegments(string path)
    {
        var kept = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".") continue;
            if (segment == "..")
            {
                if (kept.Count > 0) kept.RemoveAt(kept.Count - 1);
                continue;
            }
            kept.Add(segment);
        }
        var trailing = path.EndsWith('/') && kept.Count > 0 ? "/" : "";
        return "/" + string.Join('/', kept) + trailing;
    }

    public static void AppendCanonicalQuery(StringBuilder sb, string rawQuery, bool excludeSignature)
    {
        ArgumentNullException.ThrowIfNull(sb);
        if (string.IsNullOrEmpty(rawQuery)) return;
        var query = rawQuery.AsSpan();
        if (query.StartsWith('?')) query = query[1..];

        var pairs = new List<(string Key, string Value)>();
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            if (pair.IsEmpty) continue;
            var eq = pair.IndexOf('=');
            var key = Reencode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Reencode(pair[(eq + 1)..]);
            if (excludeSignature && key == "X-Amz-Signature") continue;
            pairs.Add((key, value));
        }
        pairs.Sort(static (a, b) =>
        {
            var c = string.CompareOrdinal(a.Key, b.Key);
            return c != 0 ? c : string.CompareOrdinal(a.Value, b.Value);
        });
        for (var i = 0; i < pairs.Count; i++)
        {
            if (i > 0) sb.Append('&');
            sb.Append(pairs[i].Key).Append('=').Append(pairs[i].Value);
        }
    }

    /// <summary>
    /// Canonical headers for the signed names: lowercase name, each value trimmed with inner whitespace runs
    /// collapsed, repeated headers joined by commas in the order sent. Host falls back to the request's host.
    /// </summary>
    public static void AppendCanonicalHeaders(StringBuilder sb, AwsRequest request, string signedHeaders)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(request);
        var names = signedHeaders.AsSpan();
        foreach (var range in names.Split(';'))
        {
            var name = names[range];
            if (name.IsEmpty) continue;
            sb.Append(name).Append(':');
            var any = false;
            foreach (var (key, value) in request.Headers)
            {
                if (!name.Equals(key, StringComparison.OrdinalIgnoreCase)) continue;
                if (any) sb.Append(',');
                AppendTrimmedCollapsed(sb, value);
                any = true;
            }
            if (!any && name.SequenceEqual("host")) sb.Append(request.Host);
            sb.Append('\n');
        }
    }

    private static void AppendTrimmedCollapsed(StringBuilder sb, string value)
    {
        var span = value.AsSpan().Trim();
        var pendingSpace = false;
        foreach (var c in span)
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                pendingSpace = true;
                continue;
            }
            if (pendingSpace) sb.Append(' ');
            pendingSpace = false;
            sb.Append(c);
        }
    }

    /// <summary>Percent-decodes as sent, then encodes the AWS way, so equivalent spellings sign the same.</summary>
    private static string Reencode(ReadOnlySpan<char> raw)
    {
        var sb = new StringBuilder(raw.Length + 8);
        UriEncode(sb, raw.Contains('%') ? Uri.UnescapeDataString(raw.ToString()) : raw);
        return sb.ToString();
    }

    /// <summary>AWS URI encoding: unreserved characters as is, every other UTF-8 byte as uppercase %XX ('/' too).</summary>
    public static void UriEncode(StringBuilder sb, ReadOnlySpan<char> value)
    {
        ArgumentNullException.ThrowIfNull(sb);
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        var bytes = max <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(max));
        var count = Encoding.UTF8.GetBytes(value, bytes);
        foreach (var b in bytes[..count])
        {
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 0xF]);
            }
        }
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
    }
}
