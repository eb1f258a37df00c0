using System.Text.RegularExpressions;
using Nephele.Core.Protocols;

namespace Nephele.Services.DynamoDb;

/// <summary>Reads and validates CreateTable/UpdateTable definitions with DynamoDB's messages.</summary>
internal static partial class TableDefinitions
{
    private const string Invalid = "One or more parameter values were invalid: ";

    [GeneratedRegex("^[a-zA-Z0-9_.-]+$")]
    private static partial Regex NamePattern();

    public static void ValidateTableName(string? name, string member = "tableName")
    {
        if (name is null) throw AwsException.Validation($"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null");
        if (name.Length < 3)
            throw AwsException.Validation($"1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must have length greater than or equal to 3");
        if (name.Length > 255)
            throw AwsException.Validation($"1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must have length less than or equal to 255");
        if (!NamePattern().IsMatch(name))
            throw AwsException.Validation($"1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    }

    public static List<AttributeDefinition> AttributeDefinitions(Dictionary<string, object?> input)
    {
        var list = new List<AttributeDefinition>();
        var i = 0;
        foreach (var o in input.GetList("AttributeDefinitions") ?? [])
        {
            i++;
            var d = (Dictionary<string, object?>)o!;
            var type = d.GetString("AttributeType") ?? "";
            if (type is not ("S" or "N" or "B"))
                throw AwsException.Validation($"1 validation error detected: Value '{type}' at 'attributeDefinitions.{i}.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]");
            list.Add(new AttributeDefinition(d.RequireString("AttributeName"), type));
        }
        if (list.Select(a => a.AttributeName).Distinct().Count() != list.Count)
            throw AwsException.Validation($"{Invalid}Duplicate AttributeName in AttributeDefinitions");
        return list;
    }

    public static List<KeyElement> KeySchema(List<object?>? raw, string member, string? indexName = null)
    {
        var keys = new List<KeyElement>();
        var i = 0;
        foreach (var o in raw ?? [])
        {
            i++;
            var d = (Dictionary<string, object?>)o!;
            var type = d.GetString("KeyType") ?? "";
            if (type is not ("HASH" or "RANGE"))
                throw AwsException.Validation($"1 validation error detected: Value '{type}' at '{member}.{i}.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]");
            keys.Add(new KeyElement(d.RequireString("AttributeName"), type));
        }
        var where = indexName is null ? "" : $" for index: {indexName}";
        if (keys.Count is 0 or > 2)
            throw AwsException.Validation($"1 validation error detected: Value '[{string.Join(", ", keys.Select(k => k.AttributeName))}]' at '{member}' failed to satisfy constraint: Member must have length " +
                (keys.Count == 0 ? "greater than or equal to 1" : "less than or equal to 2"));
        if (keys[0].KeyType != "HASH")
            throw AwsException.Validation($"Invalid KeySchema: The first KeySchemaElement is not a HASH key type{where}");
        if (keys.Count == 2 && keys[1].KeyType != "RANGE")
            throw AwsException.Validation($"Too many hash keys specified.  All Dynamo DB tables must have exactly one hash key{where}");
        if (keys.Count == 2 && keys[0].AttributeName == keys[1].AttributeName)
            throw AwsException.Validation($"Both the Hash Key and the Range Key element in the KeySchema have the same name{where}");
        return keys;
    }

    public static Throughput? ProvisionedThroughput(Dictionary<string, object?>? raw) => raw is null ? null : new Throughput
    {
        ReadCapacityUnits = raw.GetLong("ReadCapacityUnits") ?? 0,
        WriteCapacityUnits = raw.GetLong("WriteCapacityUnits") ?? 0,
    };

    public static void ValidateThroughput(string billingMode, Throughput? throughput, string? indexName = null)
    {
        if (billingMode == "PAY_PER_REQUEST")
        {
            if (throughput is not null && (throughput.ReadCapacityUnits != 0 || throughput.WriteCapacityUnits != 0))
                throw AwsException.Validation($"{Invalid}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            return;
        }
        if (throughput is null)
            throw AwsException.Validation(indexName is null
                ? $"{Invalid}ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"
                : $"{Invalid}ProvisionedThroughput must be specified for index: {indexName}");
        if (throughput.ReadCapacityUnits < 1 || throughput.WriteCapacityUnits < 1)
            throw AwsException.Validation($"{Invalid}ReadCapacityUnits and WriteCapacityUnits must both be greater than 0");
    }

    public static IndexRecord Index(Dictionary<string, object?> raw, bool global, string member, string billingMode)
    {
        var name = raw.RequireString("IndexName");
        if (name.Length < 3 || name.Length > 255 || !NamePattern().IsMatch(name))
            throw AwsException.Validation($"1 validation error detected: Value '{name}' at '{member}.indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        var projection = raw.GetStruct("Projection") ?? [];
        var type = projection.GetString("ProjectionType") ?? "ALL";
        var nonKey = projection.GetStrings("NonKeyAttributes").ToList();
        if (type != "INCLUDE" && nonKey.Count > 0)
            throw AwsException.Validation($"{Invalid}ProjectionType is {type}, but NonKeyAttributes is specified");
        if (type == "INCLUDE" && nonKey.Count == 0)
            throw AwsException.Validation($"{Invalid}ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
        var throughput = ProvisionedThroughput(raw.GetStruct("ProvisionedThroughput"));
        if (global) ValidateThroughput(billingMode, throughput, name);
        return new IndexRecord
        {
            IndexName = name,
            KeySchema = KeySchema(raw.GetList("KeySchema"), member + ".keySchema", name),
            ProjectionType = type,
            NonKeyAttributes = nonKey.Count > 0 ? nonKey : null,
            ProvisionedThroughput = global && billingMode == "PROVISIONED" ? throughput : null,
            Global = global,
        };
    }

    /// <summary>Every key attribute (table and indexes) defined, and every definition used by some key.</summary>
    public static void CheckDefinitions(List<AttributeDefinition> definitions, List<KeyElement> tableKeys, IEnumerable<IndexRecord> indexes)
    {
        var defined = definitions.Select(d => d.AttributeName).ToHashSet();
        var used = new HashSet<string>(tableKeys.Select(k => k.AttributeName));
        var missing = tableKeys.Where(k => !defined.Contains(k.AttributeName)).Select(k => k.AttributeName).ToList();
        foreach (var index in indexes)
        {
            used.UnionWith(index.KeySchema.Select(k => k.AttributeName));
            missing.AddRange(index.KeySchema.Where(k => !defined.Contains(k.AttributeName)).Select(k => k.AttributeName));
        }
        if (missing.Count > 0)
            throw AwsException.Validation($"{Invalid}Some index key attributes are not defined in AttributeDefinitions. Keys: [{string.Join(", ", missing.Distinct())}], AttributeDefinitions: [{string.Join(", ", defined)}]");
        if (!used.SetEquals(defined))
            throw AwsException.Validation($"{Invalid}Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
    }
}
