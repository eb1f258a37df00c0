using System.Globalization;
using System.Numerics;
using System.Text;

namespace Nephele.Core.Protocols.Rest;

/// <summary>
/// Reads the scalars a handler put in an output dictionary. Handlers are lenient producers (an int where
/// the model says long, a DateTime for a timestamp, a string for a blob), so serializers accept the
/// obvious CLR equivalents of the canonical value types documented on IWireProtocol.
/// A value of the wrong kind is a bug in the handler, not in the request: InvalidOperationException.
/// </summary>
public static class ScalarValues
{
    public static string AsString(object value, string member) => value switch
    {
        string s => s,
        Enum e => e.ToString(),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => throw Wrong(value, "string", member),
    };

    public static long AsLong(object value, string member) => value switch
    {
        long l => l,
        int i => i,
        short s => s,
        byte b => b,
        sbyte sb => sb,
        uint ui => ui,
        ushort us => us,
        ulong ul when ul <= long.MaxValue => (long)ul,
        double d when Math.Floor(d) == d && Math.Abs(d) < 9.2e18 => (long)d,
        decimal m when decimal.Truncate(m) == m => (long)m,
        BigInteger bi when bi >= long.MinValue && bi <= long.MaxValue => (long)bi,
        Enum e => Convert.ToInt64(e, CultureInfo.InvariantCulture),
        _ => throw Wrong(value, "integer", member),
    };

    public static double AsDouble(object value, string member) => value switch
    {
        double d => d,
        float f => f,
        long l => l,
        int i => i,
        decimal m => (double)m,
        short s => s,
        byte b => b,
        uint ui => ui,
        ulong ul => ul,
        BigInteger bi => (double)bi,
        _ => throw Wrong(value, "floating-point number", member),
    };

    public static decimal AsDecimal(object value, string member) => value switch
    {
        decimal m => m,
        long l => l,
        int i => i,
        double d => (decimal)d,
        float f => (decimal)f,
        BigInteger bi => (decimal)bi,
        _ => throw Wrong(value, "decimal number", member),
    };

    public static BigInteger AsBigInteger(object value, string member) => value switch
    {
        BigInteger bi => bi,
        long l => l,
        int i => i,
        ulong ul => ul,
        decimal m when decimal.Truncate(m) == m => new BigInteger(m),
        _ => throw Wrong(value, "integer", member),
    };

    public static bool AsBool(object value, string member)
        => value as bool? ?? throw Wrong(value, "boolean", member);

    public static DateTimeOffset AsTimestamp(object value, string member) => value switch
    {
        DateTimeOffset d => d,
        // An unspecified DateTime from a handler is UTC: Nephele's clock is UTC throughout.
        DateTime dt => dt.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(dt, TimeSpan.Zero) : new DateTimeOffset(dt.ToUniversalTime()),
        long l => DateTimeOffset.FromUnixTimeSeconds(l),
        int i => DateTimeOffset.FromUnixTimeSeconds(i),
        double d => TimestampText.FromEpochSeconds(d),
        decimal m => TimestampText.FromEpochSeconds(m),
        _ => throw Wrong(value, "timestamp", member),
    };

    public static byte[] AsBytes(object value, string member) => value switch
    {
        byte[] b => b,
        ReadOnlyMemory<byte> rom => rom.ToArray(),
        Memory<byte> mem => mem.ToArray(),
        ArraySegment<byte> seg => seg.ToArray(),
        string s => Encoding.UTF8.GetBytes(s),
        _ => throw Wrong(value, "blob", member),
    };

    /// <summary>The entries of a map (or the members of an untyped structure) as the handler built it.</summary>
    public static IEnumerable<KeyValuePair<string, object?>> AsMapEntries(object map, string member) => map switch
    {
        IEnumerable<KeyValuePair<string, object?>> typed => typed,
        // Dictionary<string, string> and friends: KeyValuePair is not covariant.
        System.Collections.IDictionary untyped => Untyped(untyped),
        _ => throw Wrong(map, "map", member),
    };

    private static IEnumerable<KeyValuePair<string, object?>> Untyped(System.Collections.IDictionary map)
    {
        foreach (System.Collections.DictionaryEntry e in map) yield return new((string)e.Key, e.Value);
    }

    private static InvalidOperationException Wrong(object value, string expected, string member)
        => new($"Output member {member} should be a {expected}, but the handler gave a {value.GetType().Name}.");
}
