using System.Globalization;
using System.Text;

namespace Nephele.Services.DynamoDbStreams;

/// <summary>
/// Shard iterators carry their whole position, so nothing is stored per iterator: like AWS's they read
/// "{streamArn}|1|{opaque}", where the opaque part encodes the shard, the sequence number the next read starts
/// after, and when the iterator was issued (it expires 15 minutes later on Nephele's clock).
/// </summary>
internal static class ShardIterators
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    public readonly record struct Position(string StreamArn, string ShardId, string After, DateTimeOffset IssuedAt);

    public static string Encode(Position p)
    {
        var payload = string.Create(CultureInfo.InvariantCulture, $"{p.ShardId}|{p.After}|{p.IssuedAt.ToUnixTimeMilliseconds()}");
        return $"{p.StreamArn}|1|{Convert.ToBase64String(Encoding.UTF8.GetBytes(payload))}";
    }

    public static Position? Decode(string iterator)
    {
        var parts = iterator.Split('|');
        if (parts.Length != 3 || parts[1] != "1" || !parts[0].StartsWith("arn:", StringComparison.Ordinal)) return null;
        var bytes = new byte[parts[2].Length];
        if (!Convert.TryFromBase64String(parts[2], bytes, out var length)) return null;
        var fields = Encoding.UTF8.GetString(bytes, 0, length).Split('|');
        if (fields.Length != 3 || fields[1].Length != SequenceNumbers.Width || !fields[1].All(char.IsAsciiDigit)
            || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var issued))
            return null;
        return new Position(parts[0], fields[0], fields[1], DateTimeOffset.FromUnixTimeMilliseconds(issued));
    }
}
