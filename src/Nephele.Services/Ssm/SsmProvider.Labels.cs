using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Ssm;

public sealed partial class SsmProvider
{
    private Dictionary<string, object?> LabelParameterVersion(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = input.RequireString("Name");
        var labels = input.GetStrings("Labels");
        return _store.Transaction(() =>
        {
            var record = _store.Get(ctx.Scope, name) ?? throw ParameterNotFound(name);
            var number = input.GetLong("ParameterVersion") ?? record.Latest.Version;
            var target = record.Versions.FirstOrDefault(v => v.Version == number)
                ?? throw new AwsException("ParameterVersionNotFound", $"Systems Manager could not find version {number} of {name}. Verify the version and try again.");
            // Invalid labels are reported back, not rejected; valid ones move here from any other version.
            var invalid = labels.Where(l => !ParameterNames.IsValidLabel(l)).ToList();
            var valid = labels.Except(invalid).Distinct(StringComparer.Ordinal).ToList();
            if (target.Labels.Union(valid).Count() > 10)
                throw new AwsException("ParameterVersionLabelLimitExceeded",
                    "A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.");
            var versions = record.Versions.Select(v => v == target
                ? v with { Labels = [.. v.Labels.Union(valid, StringComparer.Ordinal)] }
                : v with { Labels = [.. v.Labels.Except(valid, StringComparer.Ordinal)] }).ToList();
            _store.Put(ctx.Scope, record with { Versions = versions });
            return new Dictionary<string, object?>
            {
                ["InvalidLabels"] = invalid.Select(l => (object?)l).ToList(),
                ["ParameterVersion"] = number,
            };
        });
    }

    private Dictionary<string, object?> AddTagsToResource(RequestContext ctx, Dictionary<string, object?> input)
    {
        var tags = Tags.Read(input);
        return UpdateTags(ctx, input, existing =>
        {
            foreach (var (key, value) in tags) existing[key] = value;
            if (existing.Count > 50)
                throw new AwsException("TooManyTagsError", "The Tags parameter contains more tags than the maximum allowed.");
        });
    }

    private Dictionary<string, object?> RemoveTagsFromResource(RequestContext ctx, Dictionary<string, object?> input)
    {
        var keys = input.GetStrings("TagKeys");
        return UpdateTags(ctx, input, existing =>
        {
            foreach (var key in keys) existing.Remove(key);
        });
    }

    private Dictionary<string, object?> ListTagsForResource(RequestContext ctx, Dictionary<string, object?> input)
    {
        var record = TaggedParameter(ctx, input);
        return new() { ["TagList"] = Tags.Write(record.Tags) };
    }

    private Dictionary<string, object?> UpdateTags(RequestContext ctx, Dictionary<string, object?> input, Action<Dictionary<string, string>> change) =>
        _store.Transaction(() =>
        {
            var record = TaggedParameter(ctx, input);
            var tags = new Dictionary<string, string>(record.Tags, StringComparer.Ordinal);
            change(tags);
            _store.Put(ctx.Scope, record with { Tags = tags });
            return new Dictionary<string, object?>();
        });

    private ParameterRecord TaggedParameter(RequestContext ctx, Dictionary<string, object?> input)
    {
        var type = input.RequireString("ResourceType");
        var id = input.RequireString("ResourceId");
        // Parameters are the only taggable SSM resource Nephele keeps so far.
        if (type != "Parameter") throw new AwsException("InvalidResourceType", "The resource type is not valid. Valid resource types are: Parameter.");
        return _store.Get(ctx.Scope, ParameterNames.Split(id).Name)
            ?? throw new AwsException("InvalidResourceId", "The resource ID is not valid. Verify the ID and try again.");
    }
}
