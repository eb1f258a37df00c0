using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Nephele.Core.State;

/// <summary>Typed access to table rows through source-generated JSON contracts.</summary>
public static class StateTableExtensions
{
    public static T? Get<T>(this IResourceTable table, Scope scope, string key, JsonTypeInfo<T> type) where T : class
        => table.Get(scope, key) is { } bytes ? JsonSerializer.Deserialize(bytes, type) : null;

    public static void Put<T>(this IResourceTable table, Scope scope, string key, T value, JsonTypeInfo<T> type)
        => table.Put(scope, key, JsonSerializer.SerializeToUtf8Bytes(value, type));

    public static bool TryAdd<T>(this IResourceTable table, Scope scope, string key, T value, JsonTypeInfo<T> type)
        => table.TryAdd(scope, key, JsonSerializer.SerializeToUtf8Bytes(value, type));

    public static IEnumerable<T> Values<T>(this IResourceTable table, Scope scope, JsonTypeInfo<T> type, string? prefix = null)
        => table.List(scope, prefix).Select(kv => JsonSerializer.Deserialize(kv.Value, type)!);
}
