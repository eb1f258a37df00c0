using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Sns;

public sealed partial class SnsProvider
{
    private const int SubscriptionsPageSize = 100;

    private static readonly HashSet<string> Protocols = new(StringComparer.Ordinal)
    {
        "http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose",
    };

    private Dictionary<string, object?> Subscribe(RequestContext ctx, Dictionary<string, object?> input)
    {
        var topic = RequireTopic(input);
        var protocol = input.GetString("Protocol") ?? "";
        var endpoint = input.GetString("Endpoint") ?? "";
        if (!Protocols.Contains(protocol))
            throw SnsErrors.InvalidParameter($"Invalid parameter: Amazon SNS does not support this protocol string: {protocol}");
        ValidateEndpoint(topic, protocol, endpoint);

        var requested = input.GetStringMap("Attributes");
        var scope = requested.GetValueOrDefault("FilterPolicyScope") ?? "MessageAttributes";
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in requested)
            attributes[name] = SubscriptionAttributes.Validate(name, value, protocol, scope, subscribing: true);

        var confirmed = protocol is not ("http" or "https" or "email" or "email-json");
        var baseUrl = BaseUrl(ctx);
        var (subscription, created) = _state.Transaction(() =>
        {
            // An endpoint is subscribed to a topic once; subscribing again answers the same subscription.
            var existing = SubscriptionsOf(topic).FirstOrDefault(s => s.Protocol == protocol && s.Endpoint == endpoint);
            if (existing is not null)
            {
                if (attributes.Any(a => existing.Attributes.GetValueOrDefault(a.Key) != a.Value))
                    throw SnsErrors.InvalidParameter("Invalid parameter: Attributes Reason: Subscription already exists with different attributes");
                return (existing, false);
            }
            var record = new SubscriptionRecord
            {
                Id = Guid.NewGuid().ToString(),
                TopicArn = topic.Arn,
                Protocol = protocol,
                Endpoint = endpoint,
                Owner = ctx.AccountId,
                Attributes = attributes,
                PendingConfirmation = !confirmed,
                ConfirmationWasAuthenticated = confirmed,
                Token = confirmed ? null : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(144)),
            };
            SaveSubscription(topic.Scope, record);
            if (!confirmed) SendConfirmation(ctx, topic, record, baseUrl);
            return (record, true);
        });
        if (created && subscription.Protocol is "http" or "https") _http.Kick();

        var pending = subscription.PendingConfirmation && input.GetBool("ReturnSubscriptionArn") != true;
        return new() { ["SubscriptionArn"] = pending ? "pending confirmation" : subscription.Arn };
    }

    private void ValidateEndpoint(TopicRef topic, string protocol, string endpoint)
    {
        switch (protocol)
        {
            case "http" or "https" when !endpoint.StartsWith(protocol + "://", StringComparison.OrdinalIgnoreCase)
                || !Uri.TryCreate(endpoint, UriKind.Absolute, out _):
                throw SnsErrors.InvalidParameter("Invalid parameter: Endpoint must match the specified protocol");
            case "email" or "email-json" when !endpoint.Contains('@', StringComparison.Ordinal):
                throw SnsErrors.InvalidParameter("Invalid parameter: Email address");
            case "sms" when !IsPhoneNumber(endpoint):
                throw SnsErrors.InvalidParameter($"Invalid SMS endpoint: {endpoint}");
            case "sqs":
                var parts = endpoint.Split(':');
                if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "sqs")
                    throw SnsErrors.InvalidParameter("Invalid parameter: SQS endpoint ARN");
                if (!topic.Topic.IsFifo && parts[5].EndsWith(".fifo", StringComparison.Ordinal))
                    throw SnsErrors.InvalidParameter("Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics");
                break;
            case "lambda" when endpoint.Split(':') is not { Length: 7 or 8 } l || l[0] != "arn" || l[2] != "lambda" || l[5] != "function":
                throw SnsErrors.InvalidParameter("Invalid parameter: Lambda endpoint ARN");
            case "firehose" when endpoint.Split(':') is not { Length: 6 } f || f[0] != "arn" || f[2] != "firehose":
                throw SnsErrors.InvalidParameter("Invalid parameter: Firehose endpoint ARN");
            case "application":
                if (!TryParseEndpointArn(endpoint, out var scope, out var key) || _endpoints.Get(scope, key) is null)
                    throw SnsErrors.InvalidParameter($"Invalid parameter: Endpoint Reason: Endpoint does not exist for endpoint arn{endpoint}");
                break;
        }
    }

    /// <summary>E.164 after removing the separators people type (+1 206-555-0100).</summary>
    private static bool IsPhoneNumber(string number)
    {
        var digits = number.Replace("-", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (digits.StartsWith('+')) digits = digits[1..];
        return digits.Length is >= 2 and <= 15 && digits[0] != '0' && digits.All(char.IsAsciiDigit);
    }

    private Dictionary<string, object?> ConfirmSubscription(RequestContext ctx, Dictionary<string, object?> input)
    {
        var token = input.GetString("Token") ?? "";
        var authenticate = string.Equals(input.GetString("AuthenticateOnUnsubscribe"), "true", StringComparison.OrdinalIgnoreCase);
        var arn = _state.Transaction(() =>
        {
            var topic = RequireTopic(input);
            var subscription = token.Length == 0 ? null : SubscriptionsOf(topic).FirstOrDefault(s => s.Token == token)
                ?? throw SnsErrors.InvalidParameter("Invalid parameter: Token");
            if (subscription is null) throw SnsErrors.InvalidParameter("Invalid parameter: Token");
            // Confirming again is harmless and answers the same ARN.
            if (subscription.PendingConfirmation)
            {
                subscription.PendingConfirmation = false;
                subscription.ConfirmationWasAuthenticated = authenticate;
                SaveSubscription(topic.Scope, subscription);
            }
            return subscription.Arn;
        });
        return new() { ["SubscriptionArn"] = arn };
    }

    private Dictionary<string, object?> Unsubscribe(RequestContext ctx, Dictionary<string, object?> input)
    {
        var arn = input.GetString("SubscriptionArn");
        if (!TryParseArn(arn, out var scope, out var topicName, out var id) || id is null)
            throw SnsErrors.InvalidParameter($"Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not {(arn ?? "").Split(':').Length}");
        // Unsubscribing twice is not an error.
        _state.Transaction(() =>
        {
            if (_subscriptions.Delete(scope, SubscriptionKey(topicName, id))
                && _topics.Get(scope, topicName, SnsJsonContext.Default.TopicRecord) is { } topic)
            {
                topic.SubscriptionsDeleted++;
                _topics.Put(scope, topicName, topic, SnsJsonContext.Default.TopicRecord);
            }
            return 0;
        });
        return Empty;
    }

    private Dictionary<string, object?> ListSubscriptions(RequestContext ctx, Dictionary<string, object?> input) =>
        SubscriptionPage(ctx.Scope, null, input.GetString("NextToken"));

    private Dictionary<string, object?> ListSubscriptionsByTopic(RequestContext ctx, Dictionary<string, object?> input)
    {
        var topic = RequireTopic(input);
        return SubscriptionPage(topic.Scope, topic.Name + "/", input.GetString("NextToken"));
    }

    private Dictionary<string, object?> SubscriptionPage(Scope scope, string? prefix, string? token)
    {
        var after = PageToken.Resume(token, () => SnsErrors.InvalidParameter("Invalid parameter: NextToken"));
        var rows = _subscriptions.List(scope, prefix, after, SubscriptionsPageSize + 1);
        var page = rows.Take(SubscriptionsPageSize).ToList();
        var result = new Dictionary<string, object?>
        {
            ["Subscriptions"] = page.Select(r =>
            {
                var s = System.Text.Json.JsonSerializer.Deserialize(r.Value, SnsJsonContext.Default.SubscriptionRecord)!;
                return (object?)new Dictionary<string, object?>
                {
                    ["SubscriptionArn"] = s.PendingConfirmation ? "PendingConfirmation" : s.Arn,
                    ["Owner"] = s.Owner,
                    ["Protocol"] = s.Protocol,
                    ["Endpoint"] = s.Endpoint,
                    ["TopicArn"] = s.TopicArn,
                };
            }).ToList(),
        };
        if (rows.Count > SubscriptionsPageSize) result["NextToken"] = PageToken.After(page[^1].Key);
        return result;
    }

    private Dictionary<string, object?> GetSubscriptionAttributes(RequestContext ctx, Dictionary<string, object?> input)
    {
        var (scope, s) = ResolveSubscription(input.GetString("SubscriptionArn"));
        var topic = _topics.Get(scope, TopicNameOf(s), SnsJsonContext.Default.TopicRecord);
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["SubscriptionArn"] = s.Arn,
            ["TopicArn"] = s.TopicArn,
            ["Protocol"] = s.Protocol,
            ["Endpoint"] = s.Endpoint,
            ["Owner"] = s.Owner,
            ["PendingConfirmation"] = s.PendingConfirmation ? "true" : "false",
            ["ConfirmationWasAuthenticated"] = s.ConfirmationWasAuthenticated ? "true" : "false",
            ["RawMessageDelivery"] = "false",
            ["SubscriptionPrincipal"] = $"arn:aws:iam::{s.Owner}:root",
        };
        foreach (var (name, value) in s.Attributes) attributes[name] = value;
        if (s.Attributes.ContainsKey("FilterPolicy") && !s.Attributes.ContainsKey("FilterPolicyScope"))
            attributes["FilterPolicyScope"] = "MessageAttributes";
        if (s.Protocol is "http" or "https")
        {
            var retry = DeliveryPolicies.For(topic?.Attributes.GetValueOrDefault("DeliveryPolicy"), s.Attributes.GetValueOrDefault("DeliveryPolicy"));
            attributes["EffectiveDeliveryPolicy"] = new JsonObject
            {
                ["healthyRetryPolicy"] = new JsonObject
                {
                    ["minDelayTarget"] = retry.MinDelayTarget,
                    ["maxDelayTarget"] = retry.MaxDelayTarget,
                    ["numRetries"] = retry.NumRetries,
                    ["numMaxDelayRetries"] = retry.NumMaxDelayRetries,
                    ["numNoDelayRetries"] = retry.NumNoDelayRetries,
                    ["numMinDelayRetries"] = retry.NumMinDelayRetries,
                    ["backoffFunction"] = retry.BackoffFunction,
                },
            }.ToJsonString();
        }
        return new() { ["Attributes"] = attributes };
    }

    private Dictionary<string, object?> SetSubscriptionAttributes(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = input.GetString("AttributeName") ?? "";
        var value = input.GetString("AttributeValue");
        _state.Transaction(() =>
        {
            var (scope, s) = ResolveSubscription(input.GetString("SubscriptionArn"));
            var filterScope = name == "FilterPolicyScope" ? value ?? "" : s.Attributes.GetValueOrDefault("FilterPolicyScope") ?? "MessageAttributes";
            var stored = SubscriptionAttributes.Validate(name, value, s.Protocol, filterScope, subscribing: false);
            // Changing the scope re-reads the existing filter policy in the new scope.
            if (name == "FilterPolicyScope" && s.Attributes.GetValueOrDefault("FilterPolicy") is { Length: > 0 } existing)
                FilterPolicy.Validate(existing, stored, "Invalid parameter: ");
            if (stored.Length == 0 && name is "FilterPolicy" or "RedrivePolicy" or "DeliveryPolicy") s.Attributes.Remove(name);
            else s.Attributes[name] = stored;
            SaveSubscription(scope, s);
            return 0;
        });
        return Empty;
    }

    private static string TopicNameOf(SubscriptionRecord s) => s.TopicArn[(s.TopicArn.LastIndexOf(':') + 1)..];
}
