using System.Text;

namespace Nephele.Services.DynamoDb.Model;

/// <summary>
/// Row keys whose byte order is DynamoDB's order. A key value becomes lower-case hex of order-preserving bytes
/// (S: UTF-8, B: raw, N: <see cref="DynamoNumber.ToSortableBytes"/>); a row key is "hex(partition)/hex(sort)/"
/// and an index entry "hex(index partition)/hex(index sort)/" + the table row key. '/' sorts below every hex
/// digit, so a shorter value sorts first and a partition's rows are one contiguous range in sort-key order.
/// </summary>
public static class KeyEncoding
{
    public static string Hex(AttributeValue value) => value.Type switch
    {
        AttributeType.S => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(value.S!)),
        AttributeType.N => Convert.ToHexStringLower(value.N.ToSortableBytes()),
        AttributeType.B => Convert.ToHexStringLower(value.B!),
        _ => throw new ArgumentException($"{value.Type} is not a key type."),
    };

    public static string RowKey(AttributeValue partition, AttributeValue? sort) =>
        Partition(partition) + (sort is null ? "" : Hex(sort)) + "/";

    /// <summary>The prefix every row of a partition starts with.</summary>
    public static string Partition(AttributeValue partition) => Hex(partition) + "/";

    /// <summary>
    /// The smallest key after every key starting with <paramref name="prefix"/>: 'g' is above every hex digit
    /// and '0' above '/', so this bounds "starts with" ranges of hex and of "/"-terminated components.
    /// </summary>
    public static string After(string prefix) => prefix.EndsWith('/') ? prefix[..^1] + "0" : prefix + "g";

    /// <summary>A stable hash of the partition key for parallel Scan segments.</summary>
    public static int Segment(string rowKey, int totalSegments)
    {
        var partition = rowKey.AsSpan(0, rowKey.IndexOf('/'));
        uint h = 2166136261;
        foreach (var c in partition) h = (h ^ c) * 16777619;
        return (int)(h % (uint)totalSegments);
    }
}
