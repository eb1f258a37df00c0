namespace Nephele.Core.Protocols;

/// <summary>Typed reads of protocol-neutral values (see IWireProtocol for the representation).</summary>
public static class ValueExtensions
{
    public static string? GetString(this Dictionary<string, object?> v, string name) => v.GetValueOrDefault(name) as string;

    public static long? GetLong(this Dictionary<string, object?> v, string name) => v.GetValueOrDefault(name) switch
    {
        long l => l,
        int i => i,
        double d => (long)d,
        _ => null,
    };

    public static int? GetInt(this Dictionary<string, object?> v, string name) => v.GetLong(name) is { } l ? (int)l : null;

    public static double? GetDouble(this Dictionary<string, object?> v, string name) => v.GetValueOrDefault(name) switch
    {
        double d => d,
        long l => l,
        decimal m => (double)m,
        _ => null,
    };

    public static bool? GetBool(this Dictionary<string, object?> v, string name) => v.GetValueOrDefault(name) as bool?;

    public static DateTimeOffset? GetTimestamp(this Dictionary<string, object?> v, string name) => v.GetValueOrDefault(name) as DateTimeOffset?;

    public static byte[]? GetBlob(this Dictionary<string, object?> v, string name) => v.GetValueOrDefault(name) as byte[];

    public static List<object?>? GetList(this Dictionary<string, object?> v, string name) => v.GetValueOrDefault(name) as List<object?>;

    public static Dictionary<string, object?>? GetStruct(this Dictionary<string, object?> v, string name)
        => v.GetValueOrDefault(name) as Dictionary<string, object?>;

    /// <summary>A list of strings (e.g. AttributeNames), empty when absent.</summary>
    public static IReadOnlyList<string> GetStrings(this Dictionary<string, object?> v, string name)
        => v.GetList(name)?.OfType<string>().ToArray() ?? [];

    /// <summary>A map of string to string (e.g. Tags, Attributes), empty when absent.</summary>
    public static Dictionary<string, string> GetStringMap(this Dictionary<string, object?> v, string name)
        => v.GetStruct(name)?.Where(kv => kv.Value is string).ToDictionary(kv => kv.Key, kv => (string)kv.Value!) ?? [];

    /// <summary>A required string member; absent or empty gets AWS's generic validation error.</summary>
    public static string RequireString(this Dictionary<string, object?> v, string name)
        => v.GetString(name) is { Length: > 0 } s ? s
            : throw AwsException.Validation($"1 validation error detected: Value null at '{char.ToLowerInvariant(name[0])}{name[1..]}' failed to satisfy constraint: Member must not be null");
}
