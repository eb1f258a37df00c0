using System.Text;
using System.Text.Json;
using Nephele.Core.Protocols;

namespace Nephele.Services.Sns;

/// <summary>A publish request after validation: what every subscriber's delivery is built from.</summary>
internal sealed class PublishRequest
{
    public required string Message { get; init; }
    public string? Subject { get; init; }
    /// <summary>MessageStructure=json: the per-protocol messages, "default" for the rest.</summary>
    public Dictionary<string, string>? PerProtocol { get; init; }
    public IReadOnlyList<PublishAttribute> Attributes { get; init; } = [];
    public string? MessageGroupId { get; init; }
    public string? MessageDeduplicationId { get; init; }

    public string MessageFor(string protocol) =>
        PerProtocol is null ? Message : PerProtocol.GetValueOrDefault(protocol) ?? PerProtocol["default"];
}

/// <summary>AWS's checks on Publish and PublishBatch entries, with its error codes and messages.</summary>
internal static class PublishValidation
{
    public const int MaxMessageBytes = 262_144;

    public static PublishRequest Parse(Dictionary<string, object?> input, bool endpointPublish)
    {
        var message = input.GetString("Message");
        if (string.IsNullOrEmpty(message)) throw SnsErrors.InvalidParameter("Invalid parameter: Empty message");
        var subject = input.GetString("Subject");
        if (subject is not null && (subject.Length is 0 or > 99 || subject.Any(c => char.IsControl(c)) || !char.IsAsciiLetterOrDigit(subject[0]) && !char.IsPunctuation(subject[0])))
            throw SnsErrors.InvalidParameter("Invalid parameter: Subject");

        Dictionary<string, string>? perProtocol = null;
        var structure = input.GetString("MessageStructure");
        if (structure is not null)
        {
            if (structure != "json") throw SnsErrors.InvalidParameter("Invalid parameter: MessageStructure");
            perProtocol = ParseStructure(message, endpointPublish);
        }
        var attributes = ParseAttributes(input.GetStruct("MessageAttributes"));
        var size = Encoding.UTF8.GetByteCount(message) + attributes.Sum(a => Encoding.UTF8.GetByteCount(a.Name)
            + Encoding.UTF8.GetByteCount(a.DataType) + Encoding.UTF8.GetByteCount(a.StringValue ?? "") + (a.BinaryValue?.Length ?? 0));
        if (size > MaxMessageBytes) throw SnsErrors.InvalidParameter("Invalid parameter: Message too long");

        return new PublishRequest
        {
            Message = message,
            Subject = subject,
            PerProtocol = perProtocol,
            Attributes = attributes,
            MessageGroupId = input.GetString("MessageGroupId"),
            MessageDeduplicationId = input.GetString("MessageDeduplicationId"),
        };
    }

    /// <summary>MessageStructure=json: an object of protocol -> message; keys with non-string values are ignored.</summary>
    private static Dictionary<string, string> ParseStructure(string message, bool endpointPublish)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(message);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException();
            foreach (var p in doc.RootElement.EnumerateObject())
                if (p.Value.ValueKind == JsonValueKind.String) result[p.Name] = p.Value.GetString()!;
        }
        catch (JsonException)
        {
            throw SnsErrors.InvalidParameter("Invalid parameter: Message Structure - JSON message body failed to parse");
        }
        if (!result.ContainsKey("default") && !endpointPublish)
            throw SnsErrors.InvalidParameter("Invalid parameter: Message Structure - No default entry in JSON message body");
        return result;
    }

    public static List<PublishAttribute> ParseAttributes(Dictionary<string, object?>? map)
    {
        var result = new List<PublishAttribute>();
        if (map is null) return result;
        foreach (var (name, raw) in map)
        {
            if (raw is not Dictionary<string, object?> value) continue;
            ValidateName(name);
            var type = value.GetString("DataType") ?? "";
            var baseType = type.Split('.', 2)[0];
            if (baseType is not ("String" or "Number" or "Binary"))
                throw SnsErrors.ParameterValueInvalid($"The message attribute '{name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.");
            if (baseType == "Binary")
            {
                var binary = value.GetBlob("BinaryValue");
                if (binary is null || binary.Length == 0)
                    throw SnsErrors.ParameterValueInvalid($"The message attribute '{name}' must contain non-empty message attribute value for message attribute type '{type}'.");
                result.Add(new PublishAttribute(name, type, null, binary));
                continue;
            }
            var text = value.GetString("StringValue");
            if (string.IsNullOrEmpty(text))
                throw SnsErrors.ParameterValueInvalid($"The message attribute '{name}' must contain non-empty message attribute value for message attribute type '{type}'.");
            if (baseType == "Number" && !IsNumber(text))
                throw SnsErrors.ParameterValueInvalid($"Could not cast message attribute '{name}' value to number.");
            if (type == "String.Array" && !IsAttributeArray(text))
                throw SnsErrors.InvalidParameter($"Invalid parameter: Message attribute '{name}' of type 'String.Array' must be a JSON array of strings, numbers, booleans or nulls.");
            result.Add(new PublishAttribute(name, type, text, null));
        }
        return result;
    }

    private static void ValidateName(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) >= 256)
            throw SnsErrors.ParameterValueInvalid("Length of message attribute name must be less than 256 bytes.");
        foreach (var c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                throw SnsErrors.ParameterValueInvalid($"Invalid non-alphanumeric character '#x{(int)c:X}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.");
        if (name.StartsWith('.') || name.EndsWith('.') || name.Contains("..", StringComparison.Ordinal))
            throw SnsErrors.ParameterValueInvalid($"Invalid message attribute name: '{name}'. Names cannot start or end with a period, or contain consecutive periods.");
        if (name.StartsWith("AWS.", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Amazon.", StringComparison.OrdinalIgnoreCase))
            throw SnsErrors.ParameterValueInvalid($"The message attribute name '{name}' is reserved: names starting with AWS. or Amazon. are reserved for use by AWS.");
    }

    // AWS accepts numbers from -10^9 to 10^9 with up to five decimal places; wider values still parse as numbers.
    private static bool IsNumber(string text) =>
        decimal.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static bool IsAttributeArray(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Array
                && doc.RootElement.EnumerateArray().All(e => e.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array));
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
