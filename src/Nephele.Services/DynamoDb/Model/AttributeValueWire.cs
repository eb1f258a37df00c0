using Nephele.Core.Protocols;

namespace Nephele.Services.DynamoDb.Model;

/// <summary>Converts between the protocol's AttributeValue structures and <see cref="AttributeValue"/>, validating like DynamoDB.</summary>
public static class AttributeValueWire
{
    private const string Invalid = "One or more parameter values were invalid: ";

    public static Dictionary<string, AttributeValue> ReadItem(Dictionary<string, object?>? map)
    {
        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        if (map is null) return item;
        foreach (var (name, value) in map)
            item[name] = Read(value);
        return item;
    }

    public static AttributeValue Read(object? wire)
    {
        if (wire is not Dictionary<string, object?> v || v.Count == 0)
            throw AwsException.Validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        if (v.Count > 1)
            throw AwsException.Validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        var (type, value) = v.First();
        switch (type)
        {
            case "S": return AttributeValue.FromS((string)value!);
            case "N": return AttributeValue.FromN(DynamoNumber.Parse((string)value!));
            case "B": return AttributeValue.FromB((byte[])value!);
            case "BOOL": return AttributeValue.FromBool((bool)value!);
            case "NULL":
                return (bool)value! ? AttributeValue.Null
                    : throw AwsException.Validation(Invalid + "Null attribute value types must have the value of true");
            case "L": return AttributeValue.FromL(((List<object?>)value!).Select(Read).ToList());
            case "M": return AttributeValue.FromM(ReadItem((Dictionary<string, object?>)value!));
            case "SS":
                {
                    var list = ((List<object?>)value!).Cast<string>().ToList();
                    if (list.Count == 0) throw AwsException.Validation(Invalid + "An string set  may not be empty");
                    if (list.Distinct(StringComparer.Ordinal).Count() != list.Count) throw Duplicates(list);
                    return AttributeValue.FromSS(list);
                }
            case "NS":
                {
                    var raw = ((List<object?>)value!).Cast<string>().ToList();
                    if (raw.Count == 0) throw AwsException.Validation(Invalid + "An number set  may not be empty");
                    var list = raw.Select(DynamoNumber.Parse).ToList();
                    if (list.Distinct().Count() != list.Count) throw Duplicates(raw);
                    return AttributeValue.FromNS(list);
                }
            case "BS":
                {
                    var list = ((List<object?>)value!).Cast<byte[]>().ToList();
                    if (list.Count == 0) throw AwsException.Validation(Invalid + "Binary sets should not be empty");
                    if (list.Select(Convert.ToBase64String).Distinct().Count() != list.Count)
                        throw Duplicates(list.Select(Convert.ToBase64String));
                    return AttributeValue.FromBS(list);
                }
            default:
                throw AwsException.Validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
    }

    private static AwsException Duplicates(IEnumerable<string> list) =>
        AwsException.Validation($"{Invalid}Input collection [{string.Join(", ", list)}] contains duplicates.");

    public static Dictionary<string, object?> WriteItem(IReadOnlyDictionary<string, AttributeValue> item)
    {
        var map = new Dictionary<string, object?>(item.Count, StringComparer.Ordinal);
        foreach (var (name, value) in item)
            map[name] = Write(value);
        return map;
    }

    public static Dictionary<string, object?> Write(AttributeValue v) => new(1)
    {
        [v.Type.ToString()] = v.Type switch
        {
            AttributeType.S => v.S,
            AttributeType.N => v.N.ToString(),
            AttributeType.B => v.B,
            AttributeType.BOOL => v.Bool,
            AttributeType.NULL => true,
            AttributeType.L => v.L!.Select(e => (object?)Write(e)).ToList(),
            AttributeType.M => WriteItem(v.M!),
            AttributeType.SS => v.SS!.Select(s => (object?)s).ToList(),
            AttributeType.NS => v.NS!.Select(n => (object?)n.ToString()).ToList(),
            _ => v.BS!.Select(b => (object?)b).ToList(),
        },
    };
}
