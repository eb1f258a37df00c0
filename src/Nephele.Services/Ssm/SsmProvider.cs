using System.Text;
using System.Text.RegularExpressions;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Services.Kms;

namespace Nephele.Services.Ssm;

/// <summary>
/// SSM Parameter Store: versioned, labelled, tagged parameters. SecureString values are encrypted through KMS (the
/// KeyId given, or the AWS managed key alias/aws/ssm) with the parameter ARN as encryption context, as AWS does.
/// </summary>
public sealed partial class SsmProvider(ServiceEnvironment env) : IAwsProvider
{
    private static readonly string[] Types = ["String", "StringList", "SecureString"];
    private static readonly string[] Tiers = ["Standard", "Advanced", "Intelligent-Tiering"];
    private static readonly string[] DataTypes = ["text", "aws:ec2:image", "aws:ssm:integration"];

    private readonly ParameterStore _store = new(env.State, env.Clock);
    private readonly KmsEnvelope _kms = new(env);

    public string ServiceName => "ssm";

    public void Register(OperationRegistry operations) => operations
        .On("PutParameter", PutParameter)
        .On("GetParameter", GetParameter)
        .On("GetParameters", GetParameters)
        .On("DeleteParameter", DeleteParameter)
        .On("DeleteParameters", DeleteParameters)
        .On("GetParametersByPath", GetParametersByPath)
        .On("DescribeParameters", DescribeParameters)
        .On("GetParameterHistory", GetParameterHistory)
        .On("LabelParameterVersion", LabelParameterVersion)
        .On("AddTagsToResource", AddTagsToResource)
        .On("RemoveTagsFromResource", RemoveTagsFromResource)
        .On("ListTagsForResource", ListTagsForResource);

    private Dictionary<string, object?> PutParameter(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = input.RequireString("Name");
        var value = input.GetString("Value") ?? throw AwsException.Validation(
            "1 validation error detected: Value null at 'value' failed to satisfy constraint: Member must not be null");
        ParameterNames.ValidateForWrite(name);
        var overwrite = input.GetBool("Overwrite") ?? false;
        var tags = Tags.Read(input);
        if (overwrite && tags.Count > 0)
            throw AwsException.Validation("Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. "
                + "To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.");
        var type = OneOf(input.GetString("Type"), Types, "type");
        var tier = OneOf(input.GetString("Tier"), Tiers, "tier");
        var dataType = input.GetString("DataType");
        if (dataType is not null && !DataTypes.Contains(dataType))
            throw AwsException.Validation($"The following data type is not supported: {dataType} (Data type names are all lowercase.)");
        var policies = ParameterPolicies.Parse(input.GetString("Policies"));
        if (value.Length == 0)
            throw AwsException.Validation("1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1");

        return _store.Transaction(() =>
        {
            var existing = _store.Get(ctx.Scope, name);
            if (existing is not null && !overwrite)
                throw new AwsException("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
            var previous = existing?.Latest;
            var effectiveType = type ?? previous?.Type ?? throw AwsException.Validation("A parameter type is required when you create a parameter.");
            // An overwrite keeps attributes the request leaves out, as AWS does.
            var effectiveTier = tier is null or "Intelligent-Tiering" ? previous?.Tier ?? "Standard" : tier;
            if (tier == "Intelligent-Tiering" && (value.Length > 4096 || policies.Count > 0)) effectiveTier = "Advanced";
            if (policies.Count > 0 && effectiveTier == "Standard")
                throw AwsException.Validation("Parameter policies are supported only by the advanced-parameter tier. Use the Advanced or Intelligent-Tiering tier, and try again.");
            if (effectiveTier == "Standard" && value.Length > 4096)
                throw AwsException.Validation("Standard tier parameters support a maximum parameter value of 4096 characters. "
                    + "To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.");
            if (previous?.Tier == "Advanced" && effectiveTier == "Standard")
                throw AwsException.Validation("This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. "
                    + "If necessary, you can delete the advanced parameter and recreate it as a standard parameter.");
            var pattern = input.GetString("AllowedPattern") ?? previous?.AllowedPattern;
            if (pattern is not null && !Matches(pattern, value))
                throw new AwsException("ParameterPatternMismatchException", $"Parameter value, cannot be validated against allowedPattern: {pattern}");
            var keyId = effectiveType == "SecureString" ? input.GetString("KeyId") ?? previous?.KeyId ?? DefaultKeyAlias : null;
            var version = new ParameterVersion
            {
                Version = (previous?.Version ?? 0) + 1,
                Value = keyId is null ? value : Encrypt(ctx, name, keyId, value),
                Encrypted = keyId is not null,
                Type = effectiveType,
                Tier = effectiveTier,
                DataType = dataType ?? previous?.DataType ?? "text",
                Description = input.GetString("Description") ?? previous?.Description,
                AllowedPattern = pattern,
                KeyId = keyId,
                LastModifiedDate = ctx.Now,
                LastModifiedUser = ctx.Caller.Arn,
                Policies = policies,
            };
            var versions = existing?.Versions.ToList() ?? [];
            // At the limit AWS drops the oldest version, unless a label still points at it.
            if (versions.Count >= ParameterStore.MaxVersions && versions[0].Labels.Count == 0) versions.RemoveAt(0);
            else if (versions.Count >= ParameterStore.MaxVersions)
                throw new AwsException("ParameterMaxVersionLimitExceeded",
                    $"You attempted to create a new version of {name} by calling the PutParameter API with the overwrite flag. "
                    + $"Version {versions[0].Version}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.");
            versions.Add(version);
            _store.Put(ctx.Scope, new ParameterRecord
            {
                Name = name,
                Versions = versions,
                Tags = existing?.Tags ?? tags,
                ExpiresAt = ParameterPolicies.Expiration(policies),
            });
            return new Dictionary<string, object?> { ["Version"] = version.Version, ["Tier"] = version.Tier };
        });
    }

    private Dictionary<string, object?> GetParameter(RequestContext ctx, Dictionary<string, object?> input)
    {
        var reference = input.RequireString("Name");
        // AWS answers a missing parameter here with an empty message.
        var found = Resolve(ctx, reference) ?? throw new AwsException("ParameterNotFound", "");
        return new() { ["Parameter"] = ToParameter(ctx, found.Record.Name, found.Version, found.Selector, input.GetBool("WithDecryption") ?? false) };
    }

    private Dictionary<string, object?> GetParameters(RequestContext ctx, Dictionary<string, object?> input)
    {
        var decrypt = input.GetBool("WithDecryption") ?? false;
        var parameters = new List<object?>();
        var invalid = new List<object?>();
        foreach (var reference in input.GetStrings("Names").Distinct(StringComparer.Ordinal))
        {
            if (Resolve(ctx, reference) is { } found) parameters.Add(ToParameter(ctx, found.Record.Name, found.Version, found.Selector, decrypt));
            else invalid.Add(reference);
        }
        return new() { ["Parameters"] = parameters, ["InvalidParameters"] = invalid };
    }

    private Dictionary<string, object?> DeleteParameter(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = input.RequireString("Name");
        if (!_store.Delete(ctx.Scope, name)) throw new AwsException("ParameterNotFound", "");
        return [];
    }

    private Dictionary<string, object?> DeleteParameters(RequestContext ctx, Dictionary<string, object?> input)
    {
        var names = input.GetStrings("Names");
        if (names.Count is 0 or > 10)
            throw AwsException.Validation($"1 validation error detected: Value '[{string.Join(", ", names)}]' at 'names' failed to satisfy constraint: "
                + "Member must have length less than or equal to 10, Member must have length greater than or equal to 1");
        var deleted = new List<object?>();
        var invalid = new List<object?>();
        _store.Transaction(() =>
        {
            foreach (var name in names.Distinct(StringComparer.Ordinal))
                (_store.Delete(ctx.Scope, name) ? deleted : invalid).Add(name);
            return 0;
        });
        return new() { ["DeletedParameters"] = deleted, ["InvalidParameters"] = invalid };
    }

    /// <summary>A parameter and the version a <c>name</c>, <c>name:version</c> or <c>name:label</c> reference selects.</summary>
    private (ParameterRecord Record, ParameterVersion Version, string? Selector)? Resolve(RequestContext ctx, string reference)
    {
        var (name, selector) = ParameterNames.Split(reference);
        var record = _store.Get(ctx.Scope, name) ?? PublicRecord(ctx, name);
        if (record is null) return null;
        if (selector is null) return (record, record.Latest, null);
        if (long.TryParse(selector, out var number))
        {
            var version = record.Versions.FirstOrDefault(v => v.Version == number)
                ?? throw new AwsException("ParameterVersionNotFound", $"Systems Manager could not find version {number} of {name}. Verify the version and try again.");
            return (record, version, ":" + selector);
        }
        var labelled = record.Versions.FirstOrDefault(v => v.Labels.Contains(selector, StringComparer.Ordinal));
        return labelled is null ? null : (record, labelled, ":" + selector);
    }

    private Dictionary<string, object?> ToParameter(RequestContext ctx, string name, ParameterVersion v, string? selector, bool decrypt) => new()
    {
        ["Name"] = name,
        ["Type"] = v.Type,
        ["Value"] = Present(ctx, name, v, decrypt),
        ["Version"] = v.Version,
        ["Selector"] = selector,
        ["LastModifiedDate"] = v.LastModifiedDate,
        ["ARN"] = Arn(ctx, name),
        ["DataType"] = v.DataType,
    };

    private static AwsException ParameterNotFound(string name) => new("ParameterNotFound", $"Parameter {name} not found.");

    private static string? OneOf(string? value, string[] allowed, string member) =>
        value is null || allowed.Contains(value) ? value
            : throw AwsException.Validation($"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: "
                + $"Member must satisfy enum value set: [{string.Join(", ", allowed)}]");

    private static bool Matches(string pattern, string value)
    {
        try
        {
            return Regex.IsMatch(value, pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            throw AwsException.Validation($"Parameter allowedPattern: {pattern} is not a valid regular expression.");
        }
    }
}
