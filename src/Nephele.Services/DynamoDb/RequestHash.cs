using System.Security.Cryptography;
using System.Text;

namespace Nephele.Services.DynamoDb;

/// <summary>A stable digest of a request's values (map keys sorted), to tell a retried transaction from a different one.</summary>
internal static class RequestHash
{
    public static string Of(object? value)
    {
        var sb = new StringBuilder();
        Append(sb, value);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private static void Append(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null: sb.Append('~'); break;
            case Dictionary<string, object?> map:
                sb.Append('{');
                foreach (var (k, v) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    sb.Append(k.Length).Append(':').Append(k);
                    Append(sb, v);
                }
                sb.Append('}');
                break;
            case List<object?> list:
                sb.Append('[');
                foreach (var v in list) Append(sb, v);
                sb.Append(']');
                break;
            case byte[] bytes: sb.Append('b').Append(Convert.ToBase64String(bytes)).Append(';'); break;
            case string s: sb.Append('s').Append(s.Length).Append(':').Append(s); break;
            default: sb.Append('v').Append(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)).Append(';'); break;
        }
    }
}
