using System.Text;
using Nephele.Core.Protocols;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb;

/// <summary>Key validation with DynamoDB's messages, and row keys of items and index entries.</summary>
internal static class ItemKeys
{
    private const string Invalid = "One or more parameter values were invalid: ";

    /// <summary>A Key parameter: exactly the table's key attributes, of the declared types.</summary>
    public static string RowKeyOfKey(TableRecord table, Dictionary<string, AttributeValue> key)
    {
        var hash = table.HashKey;
        var range = table.RangeKey;
        if (key.Count != (range is null ? 1 : 2) || !key.TryGetValue(hash, out var h) || (range is not null && !key.ContainsKey(range)))
            throw AwsException.Validation("The provided key element does not match the schema");
        foreach (var (name, value) in key)
        {
            if (value.Type.ToString() != table.AttributeType(name))
                throw AwsException.Validation("The provided key element does not match the schema");
            EnsureNotEmpty(name, value);
        }
        CheckSizes(h, range is null ? null : key[range]);
        return KeyEncoding.RowKey(h, range is null ? null : key[range]);
    }

    /// <summary>A whole item (PutItem, or the result of an update): key attributes present and typed, index keys typed.</summary>
    public static string RowKeyOfItem(TableRecord table, IReadOnlyDictionary<string, AttributeValue> item)
    {
        foreach (var k in table.KeySchema)
        {
            if (!item.TryGetValue(k.AttributeName, out var v))
                throw AwsException.Validation($"{Invalid}Missing the key {k.AttributeName} in the item");
            var expected = table.AttributeType(k.AttributeName);
            if (v.Type.ToString() != expected)
                throw AwsException.Validation($"{Invalid}Type mismatch for key {k.AttributeName} expected: {expected} actual: {v.Type}");
            EnsureNotEmpty(k.AttributeName, v);
        }
        foreach (var index in table.Indexes)
            foreach (var k in index.KeySchema)
            {
                if (!item.TryGetValue(k.AttributeName, out var v)) continue;
                var expected = table.AttributeType(k.AttributeName);
                if (v.Type.ToString() != expected)
                    throw AwsException.Validation($"{Invalid}Type mismatch for Index Key {k.AttributeName} Expected: {expected} Actual: {v.Type} IndexName: {index.IndexName}");
                if (IsEmpty(v))
                    throw AwsException.Validation("One or more parameter values are not valid. A value specified for a secondary index key is not supported. " +
                        $"The AttributeValue for a key attribute cannot contain an empty {(v.Type == AttributeType.S ? "string" : "binary")} value. IndexName: {index.IndexName}, IndexKey: {k.AttributeName}");
            }
        var hash = item[table.HashKey];
        var range = table.RangeKey is { } r ? item[r] : null;
        CheckSizes(hash, range);
        return KeyEncoding.RowKey(hash, range);
    }

    public static Dictionary<string, AttributeValue> KeyOf(TableRecord table, IReadOnlyDictionary<string, AttributeValue> item)
    {
        var key = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var k in table.KeySchema) key[k.AttributeName] = item[k.AttributeName];
        return key;
    }

    /// <summary>The index entry key of an item, or null when the item lacks an index key attribute (sparse index).</summary>
    public static string? IndexEntryKey(IndexRecord index, IReadOnlyDictionary<string, AttributeValue> item, string rowKey)
    {
        if (!item.TryGetValue(index.HashKey, out var hash)) return null;
        AttributeValue? range = null;
        if (index.RangeKey is { } r && !item.TryGetValue(r, out range)) return null;
        return KeyEncoding.RowKey(hash, range) + rowKey;
    }

    private static bool IsEmpty(AttributeValue v) => (v.Type == AttributeType.S && v.S!.Length == 0) || (v.Type == AttributeType.B && v.B!.Length == 0);

    private static void EnsureNotEmpty(string name, AttributeValue v)
    {
        if (IsEmpty(v))
            throw AwsException.Validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty " +
                $"{(v.Type == AttributeType.S ? "string" : "binary")} value. Key: {name}");
    }

    private static void CheckSizes(AttributeValue hash, AttributeValue? range)
    {
        if (KeyBytes(hash) > 2048)
            throw AwsException.Validation($"{Invalid}Size of hashkey has exceeded the maximum size limit of2048 bytes");
        if (range is not null && KeyBytes(range) > 1024)
            throw AwsException.Validation($"{Invalid}Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
    }

    private static int KeyBytes(AttributeValue v) => v.Type switch
    {
        AttributeType.S => Encoding.UTF8.GetByteCount(v.S!),
        AttributeType.B => v.B!.Length,
        _ => 0,
    };
}
