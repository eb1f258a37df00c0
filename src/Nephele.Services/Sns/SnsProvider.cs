using Microsoft.Extensions.Logging;
using Nephele.Core.Events;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Sns;

/// <summary>
/// SNS: topics, subscriptions and fan-out. Publishing stores every delivery before answering: SQS deliveries go
/// through the event bus into the queue inside the publish transaction; HTTP/HTTPS deliveries are written to an
/// outbox that <see cref="HttpDispatcher"/> drains (with retries on Nephele's clock); email, SMS and platform
/// endpoint deliveries are recorded for the internal endpoints.
/// </summary>
public sealed partial class SnsProvider : IAwsProvider, IDisposable
{
    private readonly ServiceEnvironment _env;
    private readonly IStateStore _state;
    private readonly IResourceTable _topics;
    private readonly IResourceTable _subscriptions;
    private readonly IResourceTable _deduplication;
    private readonly IResourceTable _recorded;
    private readonly IResourceTable _settings;
    private readonly IResourceTable _sandbox;
    private readonly IResourceTable _optOuts;
    private readonly TableCache<(Scope, string), TopicRecord?> _topicCache;
    private readonly TableCache<(Scope, string), List<SubscriptionRecord>> _subscriptionCache;
    private readonly IResourceTable _applications;
    private readonly IResourceTable _endpoints;
    private readonly MessageSigner _signer;
    private readonly HttpDispatcher _http;
    private readonly ILogger _log;

    public SnsProvider(ServiceEnvironment env)
    {
        _env = env;
        _state = env.State;
        _topics = env.State.Table("sns", "topics");
        _subscriptions = env.State.Table("sns", "subscriptions");
        _deduplication = env.State.Table("sns", "deduplication");
        _recorded = env.State.Table("sns", "recorded");
        _settings = env.State.Table("sns", "settings");
        _sandbox = env.State.Table("sns", "sms-sandbox");
        _optOuts = env.State.Table("sns", "sms-opt-outs");
        _topicCache = new(_topics);
        _subscriptionCache = new(_subscriptions);
        _applications = env.State.Table("sns", "applications");
        _endpoints = env.State.Table("sns", "endpoints");
        _log = env.Logging.CreateLogger("Nephele.Sns");
        _signer = new MessageSigner(env.State);
        _http = new HttpDispatcher(env, _log);
        SnsInternalEndpoints.Map(env.Routes, _signer, _recorded, _subscriptions, _optOuts, env.Clock);
        // Other services (S3 notifications, Lambda destinations and dead-letter targets) publish to topics by ARN through the bus.
        env.Events.RegisterTarget("sns", this);
    }

    public string ServiceName => "sns";

    public void Register(OperationRegistry operations)
    {
        operations
            .On("CreateTopic", CreateTopic)
            .On("DeleteTopic", DeleteTopic)
            .On("ListTopics", ListTopics)
            .On("GetTopicAttributes", GetTopicAttributes)
            .On("SetTopicAttributes", SetTopicAttributes)
            .On("GetDataProtectionPolicy", GetDataProtectionPolicy)
            .On("PutDataProtectionPolicy", PutDataProtectionPolicy)
            .On("AddPermission", AddPermission)
            .On("RemovePermission", RemovePermission)
            .On("TagResource", TagResource)
            .On("UntagResource", UntagResource)
            .On("ListTagsForResource", ListTagsForResource)
            .On("Subscribe", Subscribe)
            .On("ConfirmSubscription", ConfirmSubscription)
            .On("Unsubscribe", Unsubscribe)
            .On("ListSubscriptions", ListSubscriptions)
            .On("ListSubscriptionsByTopic", ListSubscriptionsByTopic)
            .On("GetSubscriptionAttributes", GetSubscriptionAttributes)
            .On("SetSubscriptionAttributes", SetSubscriptionAttributes)
            .On("Publish", Publish)
            .On("PublishBatch", PublishBatch);
        RegisterPlatform(operations);
        RegisterSms(operations);
        RegisterSmsOptOuts(operations);
        // Deliveries stored before a restart go out again.
        _http.Start();
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A topic found from a request: where it lives and its stored record.</summary>
    private readonly record struct TopicRef(Scope Scope, TopicRecord Topic)
    {
        public string Name => Topic.Name;
        public string Arn => TopicArn(Scope, Topic.Name);
    }

    internal static string TopicArn(Scope scope, string name) => $"arn:aws:sns:{scope.Region}:{scope.AccountId}:{name}";

    /// <summary>The scope and name an SNS ARN names (arn:aws:sns:region:account:name[:subscription-id]).</summary>
    private static bool TryParseArn(string? arn, out Scope scope, out string name, out string? subscriptionId)
    {
        scope = default;
        name = "";
        subscriptionId = null;
        var parts = (arn ?? "").Split(':');
        if (parts.Length is < 6 or > 7 || parts[0] != "arn" || parts[2] != "sns" || parts[3].Length == 0 || parts[4].Length == 0 || parts[5].Length == 0)
            return false;
        scope = new Scope(parts[4], parts[3]);
        name = parts[5];
        subscriptionId = parts.Length == 7 ? parts[6] : null;
        return true;
    }

    private TopicRef ResolveTopic(string? arn, string member = "TopicArn")
    {
        if (!TryParseArn(arn, out var scope, out var name, out var sub) || sub is not null)
            throw SnsErrors.InvalidParameter($"Invalid parameter: {member}");
        var topic = _topics.Get(scope, name, SnsJsonContext.Default.TopicRecord) ?? throw SnsErrors.TopicNotFound();
        return new TopicRef(scope, topic);
    }

    /// <summary>
    /// The topic a publish goes to, from memory while the topics table is unchanged: publishes only read it. Shared
    /// between requests, so never modified (operations that change a topic use <see cref="ResolveTopic"/>).
    /// </summary>
    private TopicRef ResolvePublishTopic(string? arn, string member)
    {
        if (!TryParseArn(arn, out var scope, out var name, out var sub) || sub is not null)
            throw SnsErrors.InvalidParameter($"Invalid parameter: {member}");
        var topic = _topicCache.Get((scope, name), k => _topics.Get(k.Item1, k.Item2, SnsJsonContext.Default.TopicRecord)) ?? throw SnsErrors.TopicNotFound();
        return new TopicRef(scope, topic);
    }

    private TopicRef RequireTopic(Dictionary<string, object?> input) =>
        ResolveTopic(input.GetString("TopicArn") is { Length: > 0 } arn ? arn : throw MissingTopicArn());

    private static AwsException MissingTopicArn() => SnsErrors.InvalidParameter("Invalid parameter: TopicArn");

    private void SaveTopic(TopicRef topic) => _topics.Put(topic.Scope, topic.Name, topic.Topic, SnsJsonContext.Default.TopicRecord);

    private static string SubscriptionKey(string topicName, string id) => $"{topicName}/{id}";

    /// <summary>The subscription an ARN names, with the scope it lives in; NotFound when it does not exist.</summary>
    private (Scope Scope, SubscriptionRecord Subscription) ResolveSubscription(string? arn)
    {
        if (!TryParseArn(arn, out var scope, out var topicName, out var id) || id is null)
            throw SnsErrors.InvalidParameter("Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not " + (arn ?? "").Split(':').Length);
        var subscription = _subscriptions.Get(scope, SubscriptionKey(topicName, id), SnsJsonContext.Default.SubscriptionRecord)
            ?? throw SnsErrors.SubscriptionNotFound();
        return (scope, subscription);
    }

    private void SaveSubscription(Scope scope, SubscriptionRecord subscription) =>
        _subscriptions.Put(scope, SubscriptionKey(TopicNameOf(subscription), subscription.Id), subscription, SnsJsonContext.Default.SubscriptionRecord);

    private List<SubscriptionRecord> SubscriptionsOf(TopicRef topic) =>
        [.. _subscriptions.Values(topic.Scope, SnsJsonContext.Default.SubscriptionRecord, topic.Name + "/")];

    /// <summary>A topic's subscriptions as publishes read them: from memory while the subscriptions table is unchanged; read-only.</summary>
    private IReadOnlyList<SubscriptionRecord> PublishSubscriptionsOf(TopicRef topic) =>
        _subscriptionCache.Get((topic.Scope, topic.Name), _ => SubscriptionsOf(topic));

    /// <summary>Where Nephele answers the client, for URLs that point back at it (SubscribeURL, SigningCertURL).</summary>
    private static string BaseUrl(RequestContext ctx) => $"http://{(ctx.Request.Host is { Length: > 0 } host ? host : "localhost:4566")}";

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly Dictionary<string, object?> Empty = [];
}
