using System.Text.Json.Nodes;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Sns;

public sealed partial class SnsProvider
{
    private const int TopicsPageSize = 100;

    private Dictionary<string, object?> CreateTopic(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = input.GetString("Name") ?? "";
        var attributes = input.GetStringMap("Attributes");
        var tags = ParseTags(input);
        var fifo = attributes.GetValueOrDefault("FifoTopic") == "true";
        if (fifo ? !IsTopicName(name, ".fifo") : !IsTopicName(name, null))
            throw SnsErrors.InvalidParameter(fifo
                ? "Invalid parameter: Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long."
                : "Invalid parameter: Topic Name");
        foreach (var (key, value) in attributes) TopicAttributes.Validate(key, value, fifo, creating: true);
        if (attributes.GetValueOrDefault("FifoTopic") == "false") attributes.Remove("FifoTopic");
        var dataProtection = input.GetString("DataProtectionPolicy");
        if (dataProtection is not null && !TopicAttributes.IsJsonObject(dataProtection))
            throw SnsErrors.InvalidParameter("Invalid parameter: DataProtectionPolicy Reason: Failed to parse the policy");

        var scope = ctx.Scope;
        var arn = TopicArn(scope, name);
        _state.Transaction(() =>
        {
            if (_topics.Get(scope, name, SnsJsonContext.Default.TopicRecord) is { } existing)
            {
                // CreateTopic is idempotent only when nothing asked for differs from what exists.
                if (attributes.Any(a => existing.Attributes.GetValueOrDefault(a.Key) != a.Value))
                    throw SnsErrors.InvalidParameter("Invalid parameter: Attributes Reason: Topic already exists with different attributes");
                if (tags.Count > 0 && tags.Any(t => existing.Tags.GetValueOrDefault(t.Key) != t.Value))
                    throw SnsErrors.InvalidParameter("Invalid parameter: Tags Reason: Topic already exists with different tags");
                return 0;
            }
            if (tags.Count > 50) throw TagLimitExceeded();
            _topics.Put(scope, name, new TopicRecord { Name = name, Attributes = attributes, Tags = tags, DataProtectionPolicy = dataProtection },
                SnsJsonContext.Default.TopicRecord);
            return 0;
        });
        return new() { ["TopicArn"] = arn };
    }

    private static bool IsTopicName(string name, string? suffix)
    {
        if (name.Length is 0 or > 256) return false;
        var stem = name;
        if (suffix is not null)
        {
            if (!name.EndsWith(suffix, StringComparison.Ordinal)) return false;
            stem = name[..^suffix.Length];
            if (stem.Length == 0) return false;
        }
        return stem.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
    }

    private Dictionary<string, object?> DeleteTopic(RequestContext ctx, Dictionary<string, object?> input)
    {
        var arn = input.GetString("TopicArn");
        if (!TryParseArn(arn, out var scope, out var name, out var sub) || sub is not null) throw MissingTopicArn();
        // Deleting a topic that does not exist succeeds, as in AWS.
        _state.Transaction(() =>
        {
            foreach (var row in _subscriptions.List(scope, name + "/")) _subscriptions.Delete(scope, row.Key);
            _topics.Delete(scope, name);
            return 0;
        });
        return Empty;
    }

    private Dictionary<string, object?> ListTopics(RequestContext ctx, Dictionary<string, object?> input)
    {
        var after = PageToken.Resume(input.GetString("NextToken"), () => SnsErrors.InvalidParameter("Invalid parameter: NextToken"));
        var rows = _topics.List(ctx.Scope, startAfter: after, limit: TopicsPageSize + 1);
        var page = rows.Take(TopicsPageSize).ToList();
        var result = new Dictionary<string, object?>
        {
            ["Topics"] = page.Select(r => (object?)new Dictionary<string, object?> { ["TopicArn"] = TopicArn(ctx.Scope, r.Key) }).ToList(),
        };
        if (rows.Count > TopicsPageSize) result["NextToken"] = PageToken.After(page[^1].Key);
        return result;
    }

    private Dictionary<string, object?> GetTopicAttributes(RequestContext ctx, Dictionary<string, object?> input)
    {
        var topic = RequireTopic(input);
        var subscriptions = SubscriptionsOf(topic);
        var attributes = TopicAttributes.Describe(topic.Topic, topic.Arn, topic.Scope.AccountId,
            subscriptions.Count(s => !s.PendingConfirmation), subscriptions.Count(s => s.PendingConfirmation));
        return new() { ["Attributes"] = attributes };
    }

    private Dictionary<string, object?> SetTopicAttributes(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = input.GetString("AttributeName") ?? "";
        var value = input.GetString("AttributeValue");
        _state.Transaction(() =>
        {
            var topic = RequireTopic(input);
            TopicAttributes.Validate(name, value, topic.Topic.IsFifo, creating: false);
            // An empty value resets the attribute to its default.
            if (string.IsNullOrEmpty(value)) topic.Topic.Attributes.Remove(name);
            else topic.Topic.Attributes[name] = value;
            SaveTopic(topic);
            return 0;
        });
        return Empty;
    }

    private Dictionary<string, object?> GetDataProtectionPolicy(RequestContext ctx, Dictionary<string, object?> input)
    {
        var topic = ResolveTopic(input.GetString("ResourceArn"), "ResourceArn");
        return topic.Topic.DataProtectionPolicy is { } policy ? new() { ["DataProtectionPolicy"] = policy } : new();
    }

    private Dictionary<string, object?> PutDataProtectionPolicy(RequestContext ctx, Dictionary<string, object?> input)
    {
        var policy = input.GetString("DataProtectionPolicy") ?? "";
        if (!TopicAttributes.IsJsonObject(policy))
            throw SnsErrors.InvalidParameter("Invalid parameter: DataProtectionPolicy Reason: Failed to parse the policy");
        _state.Transaction(() =>
        {
            var topic = ResolveTopic(input.GetString("ResourceArn"), "ResourceArn");
            topic.Topic.DataProtectionPolicy = policy;
            SaveTopic(topic);
            return 0;
        });
        return Empty;
    }

    /// <summary>Adds a statement to the topic's policy (AWS keeps permissions as policy statements, labelled by Sid).</summary>
    private Dictionary<string, object?> AddPermission(RequestContext ctx, Dictionary<string, object?> input)
    {
        var label = input.GetString("Label") ?? "";
        var accounts = input.GetStrings("AWSAccountId");
        var actions = input.GetStrings("ActionName");
        if (accounts.Count == 0) throw SnsErrors.InvalidParameter("Invalid parameter: AWSAccountId");
        if (actions.Count == 0) throw SnsErrors.InvalidParameter("Invalid parameter: ActionName");
        _state.Transaction(() =>
        {
            var topic = RequireTopic(input);
            var policy = PolicyOf(topic);
            var statements = policy["Statement"] as JsonArray ?? [];
            if (statements.Any(s => s?["Sid"]?.GetValue<string>() == label))
                throw SnsErrors.InvalidParameter("Invalid parameter: Statement already exists");
            var principals = new JsonArray([.. accounts.Select(a => (JsonNode?)JsonValue.Create(a.Length == 12 ? $"arn:aws:iam::{a}:root" : a))]);
            statements.Add((JsonNode)new JsonObject
            {
                ["Sid"] = label,
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["AWS"] = principals.Count == 1 ? principals[0]!.DeepClone() : principals },
                ["Action"] = actions.Count == 1 ? JsonValue.Create("SNS:" + actions[0]) : new JsonArray([.. actions.Select(a => (JsonNode?)JsonValue.Create("SNS:" + a))]),
                ["Resource"] = topic.Arn,
            });
            policy["Statement"] = statements;
            topic.Topic.Attributes["Policy"] = policy.ToJsonString();
            SaveTopic(topic);
            return 0;
        });
        return Empty;
    }

    private Dictionary<string, object?> RemovePermission(RequestContext ctx, Dictionary<string, object?> input)
    {
        var label = input.GetString("Label") ?? "";
        _state.Transaction(() =>
        {
            var topic = RequireTopic(input);
            var policy = PolicyOf(topic);
            if (policy["Statement"] is JsonArray statements)
            {
                foreach (var s in statements.Where(s => s?["Sid"]?.GetValue<string>() == label).ToList()) statements.Remove(s);
                topic.Topic.Attributes["Policy"] = policy.ToJsonString();
                SaveTopic(topic);
            }
            return 0;
        });
        return Empty;
    }

    private static JsonObject PolicyOf(TopicRef topic) =>
        JsonNode.Parse(topic.Topic.Attributes.GetValueOrDefault("Policy") ?? TopicAttributes.DefaultPolicy(topic.Arn, topic.Scope.AccountId)) as JsonObject ?? [];
}
