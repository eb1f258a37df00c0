using Nephele.Core.Protocols;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb.Expressions;

/// <summary>
/// A request's ExpressionAttributeNames and ExpressionAttributeValues, and which of them its expressions used,
/// so unused and undefined placeholders get DynamoDB's errors.
/// </summary>
internal sealed class ExpressionAttributes
{
    private readonly Dictionary<string, string>? _names;
    private readonly Dictionary<string, AttributeValue>? _values;
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedValues = new(StringComparer.Ordinal);

    public bool HasNames => _names is not null;
    public bool HasValues => _values is not null;

    public ExpressionAttributes(Dictionary<string, object?> input)
    {
        if (input.GetValueOrDefault("ExpressionAttributeNames") is Dictionary<string, object?> names)
        {
            if (names.Count == 0) throw AwsException.Validation("ExpressionAttributeNames must not be empty");
            foreach (var key in names.Keys)
                if (key.Length < 2 || key[0] != '#')
                    throw AwsException.Validation($"ExpressionAttributeNames contains invalid key: Syntax error; key: \"{key}\"");
            _names = names.ToDictionary(kv => kv.Key, kv => (string)kv.Value!, StringComparer.Ordinal);
        }
        if (input.GetValueOrDefault("ExpressionAttributeValues") is Dictionary<string, object?> values)
        {
            if (values.Count == 0) throw AwsException.Validation("ExpressionAttributeValues must not be empty");
            foreach (var key in values.Keys)
                if (key.Length < 2 || key[0] != ':')
                    throw AwsException.Validation($"ExpressionAttributeValues contains invalid key: Syntax error; key: \"{key}\"");
            _values = values.ToDictionary(kv => kv.Key, kv => AttributeValueWire.Read(kv.Value), StringComparer.Ordinal);
        }
    }

    public string Name(string placeholder, string expressionName)
    {
        if (_names is null || !_names.TryGetValue(placeholder, out var name))
            throw ExpressionErrors.Invalid(expressionName, $"An expression attribute name used in the document path is not defined; attribute name: {placeholder}");
        _usedNames.Add(placeholder);
        return name;
    }

    public AttributeValue Value(string placeholder, string expressionName)
    {
        if (_values is null || !_values.TryGetValue(placeholder, out var value))
            throw ExpressionErrors.Invalid(expressionName, $"An expression attribute value used in expression is not defined; attribute value: {placeholder}");
        _usedValues.Add(placeholder);
        return value;
    }

    /// <summary>Once every expression of the request is parsed: placeholders nobody used are an error.</summary>
    public void EnsureAllUsed()
    {
        if (_names is not null && _names.Keys.Where(k => !_usedNames.Contains(k)).ToList() is { Count: > 0 } names)
            throw AwsException.Validation($"Value provided in ExpressionAttributeNames unused in expressions: keys: {{{string.Join(", ", names)}}}");
        if (_values is not null && _values.Keys.Where(k => !_usedValues.Contains(k)).ToList() is { Count: > 0 } values)
            throw AwsException.Validation($"Value provided in ExpressionAttributeValues unused in expressions: keys: {{{string.Join(", ", values)}}}");
    }
}
