using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Nephele.Services.Logs.Insights;

/// <summary>
/// Turns a stored event into a query record: the system fields (@timestamp, @message, @logStream, @log,
/// @ingestionTime) and the fields Logs Insights discovers in JSON messages, nested names joined with dots
/// (arrays by index: items.0.id), up to AWS's 200 discovered fields.
/// </summary>
internal static class InsightsRecord
{
    private const int MaxDiscoveredFields = 200;

    public static QueryRow From(string accountId, string group, string stream, string position, LogEventRow e)
    {
        var row = new QueryRow { Ptr = Pointer(group, stream, position) };
        var fields = row.Fields;
        fields["@timestamp"] = DateTimeOffset.FromUnixTimeMilliseconds(e.Timestamp);
        fields["@message"] = e.Message;
        fields["@logStream"] = stream;
        fields["@log"] = accountId + ":" + group;
        fields["@ingestionTime"] = DateTimeOffset.FromUnixTimeMilliseconds(e.IngestionTime);
        Discover(e.Message, fields);
        if (e.Message.StartsWith("REPORT RequestId: ", StringComparison.Ordinal)) LambdaReport(e.Message, fields);
        return row;
    }

    /// <summary>The fields AWS discovers in Lambda's REPORT lines (@duration, @billedDuration, @maxMemoryUsed...).</summary>
    private static void LambdaReport(string message, Dictionary<string, object?> fields)
    {
        fields["@type"] = "REPORT";
        foreach (var part in message.Split('\t', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = part.IndexOf(':');
            if (colon < 0) continue;
            var (label, value) = (part[..colon], part[(colon + 1)..].Trim());
            var number = value.Split(' ')[0];
            double Parse() => double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;
            switch (label)
            {
                case "REPORT RequestId": fields["@requestId"] = value; break;
                case "Duration": fields["@duration"] = Parse(); break;
                case "Billed Duration": fields["@billedDuration"] = Parse(); break;
                // AWS reports memory in bytes in these fields (MB x 1,000,000).
                case "Memory Size": fields["@memorySize"] = Parse() * 1_000_000; break;
                case "Max Memory Used": fields["@maxMemoryUsed"] = Parse() * 1_000_000; break;
                case "Init Duration": fields["@initDuration"] = Parse(); break;
            }
        }
    }

    private static void Discover(string message, Dictionary<string, object?> fields)
    {
        var text = message.AsSpan().Trim();
        if (text.Length < 2 || text[0] != '{') return;
        try
        {
            using var doc = JsonDocument.Parse(message);
            var count = 0;
            Flatten(doc.RootElement, "", fields, ref count);
        }
        catch (JsonException)
        {
        }
    }

    private static void Flatten(JsonElement element, string prefix, Dictionary<string, object?> fields, ref int count)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject()) Flatten(p.Value, prefix.Length == 0 ? p.Name : prefix + "." + p.Name, fields, ref count);
                return;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray()) Flatten(item, prefix + "." + (i++).ToString(CultureInfo.InvariantCulture), fields, ref count);
                return;
        }
        if (count >= MaxDiscoveredFields || prefix.Length == 0 || fields.ContainsKey(prefix)) return;
        count++;
        fields[prefix] = element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetDouble(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        };
    }

    /// <summary>@ptr: where the event is, for GetLogRecord.</summary>
    public static string Pointer(string group, string stream, string position) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(group + "\n" + stream + "\n" + position));

    public static (string Group, string Stream, string Position)? ParsePointer(string pointer)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(pointer)).Split('\n');
            return parts.Length == 3 ? (parts[0], parts[1], parts[2]) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
