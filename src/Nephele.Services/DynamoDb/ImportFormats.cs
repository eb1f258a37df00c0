using System.Text;
using System.Text.Json;
using Nephele.Core.Protocols;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb;

/// <summary>
/// Reads the items of ImportTable's source objects: DYNAMODB_JSON (one <c>{"Item":{...}}</c> per line, what exports
/// write), ION (Amazon Ion text values <c>{Item:{...}}</c>, sets annotated <c>$dynamodb_SS</c>/<c>NS</c>/<c>BS</c>) and
/// CSV (a header line or HeaderList; key attributes typed by the table's definitions, every other value a string).
/// Each entry is an item or, for a line DynamoDB would reject, the reason.
/// </summary>
internal static class ImportFormats
{
    public static IEnumerable<(Dictionary<string, AttributeValue>? Item, string? Error)> DynamoDbJson(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            Dictionary<string, AttributeValue>? item = null;
            string? error = null;
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (!doc.RootElement.TryGetProperty("Item", out var element) || element.ValueKind != JsonValueKind.Object)
                    error = "Line has no Item object";
                else item = AttributeValueWire.ReadItem((Dictionary<string, object?>)Wire(element, null)!);
            }
            catch (Exception e) when (e is JsonException or AwsException or InvalidCastException or FormatException)
            {
                error = e.Message;
            }
            yield return (item, error);
        }
    }

    /// <summary>A typed-JSON element as the protocol's value (B and BS base64-decoded).</summary>
    private static object? Wire(JsonElement e, string? type) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => Wire(p.Value, p.Name), StringComparer.Ordinal),
        JsonValueKind.Array => e.EnumerateArray().Select(x => Wire(x, type == "BS" ? "B" : type == "L" ? null : type)).ToList(),
        JsonValueKind.String => type == "B" ? Convert.FromBase64String(e.GetString()!) : e.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new FormatException($"Unexpected JSON value {e.GetRawText()}"),
    };

    public static IEnumerable<(Dictionary<string, AttributeValue>? Item, string? Error)> Ion(string text)
    {
        var reader = new IonTextReader(text);
        while (true)
        {
            Dictionary<string, AttributeValue>? item = null;
            string? error = null;
            try
            {
                if (!reader.Next(out var value)) yield break;
                if (value is IonTextReader.Symbol) continue; // $ion_1_0
                if (value is not Dictionary<string, AttributeValue> top || !top.TryGetValue("Item", out var inner) || inner.Type != AttributeType.M)
                    error = "Value is not a struct with an Item struct";
                else item = inner.M;
            }
            catch (FormatException e)
            {
                error = e.Message;
                reader.SkipLine();
            }
            yield return (item, error);
        }
    }

    public static IEnumerable<(Dictionary<string, AttributeValue>? Item, string? Error)> Csv(string text, char delimiter, List<string>? headers, TableRecord table)
    {
        var rows = CsvRows(text, delimiter).GetEnumerator();
        if (headers is null)
        {
            if (!rows.MoveNext()) yield break;
            headers = rows.Current;
        }
        while (rows.MoveNext())
        {
            var row = rows.Current;
            if (row.Count == 1 && row[0].Length == 0) continue;
            if (row.Count > headers.Count)
            {
                yield return (null, $"Row has {row.Count} values but there are {headers.Count} headers");
                continue;
            }
            var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
            string? error = null;
            for (var i = 0; i < row.Count && error is null; i++)
            {
                var definition = table.AttributeDefinitions.FirstOrDefault(a => a.AttributeName == headers[i]);
                var isKey = table.KeySchema.Any(k => k.AttributeName == headers[i]);
                if (row[i].Length == 0 && !isKey) continue;
                try
                {
                    item[headers[i]] = (isKey ? definition?.AttributeType : "S") switch
                    {
                        "N" => AttributeValue.FromN(DynamoNumber.Parse(row[i])),
                        "B" => AttributeValue.FromB(Convert.FromBase64String(row[i])),
                        _ => AttributeValue.FromS(row[i]),
                    };
                }
                catch (Exception e) when (e is AwsException or FormatException)
                {
                    error = $"Invalid value for {headers[i]}: {e.Message}";
                }
            }
            yield return error is null ? (item, null) : (null, error);
        }
    }

    /// <summary>RFC 4180 rows: quoted fields may hold the delimiter, line breaks and doubled quotes.</summary>
    private static IEnumerable<List<string>> CsvRows(string text, char delimiter)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == delimiter) { row.Add(field.ToString()); field.Clear(); }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                row.Add(field.ToString());
                field.Clear();
                yield return row;
                row = [];
            }
            else field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            yield return row;
        }
    }
}
