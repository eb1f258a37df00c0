using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>Tagging, logging, notification, website, transfer acceleration, request payment and replication documents.</summary>
public sealed partial class S3Provider
{
    private const string TaggingConfigName = "Tagging";
    private const string LoggingConfigName = "Logging";
    private const string NotificationConfigName = "Notification";
    private const string WebsiteConfigName = "Website";
    private const string ReplicationConfigName = "Replication";

    private void RegisterTaggingAndDelivery(OperationRegistry operations)
    {
        RegisterDocument(operations, TaggingConfigName, "PutBucketTagging", "GetBucketTagging", "DeleteBucketTagging",
            S3ConfigErrors.NoSuchTagSet, (_, _, doc) => ValidateTagSet(doc.GetList("TagSet") ?? throw S3ConfigErrors.MalformedXml(), 50));
        // An empty TagSet removes the bucket's tags, as DeleteBucketTagging does.
        var putTagging = operations.Find("PutBucketTagging")!;
        operations.On("PutBucketTagging", async (ctx, input) =>
        {
            if (input.GetStruct("Tagging")?.GetList("TagSet") is not { Count: 0 }) return await putTagging(ctx, input);
            _configs.Delete(RequireBucket(ctx, input).Name, TaggingConfigName);
            return [];
        });
        RegisterDocument(operations, WebsiteConfigName, "PutBucketWebsite", "GetBucketWebsite", "DeleteBucketWebsite",
            S3ConfigErrors.NoSuchWebsiteConfiguration, (_, _, doc) => ValidateWebsite(doc));
        RegisterDocument(operations, "Accelerate", "PutBucketAccelerateConfiguration", "GetBucketAccelerateConfiguration", null, null,
            (_, bucket, doc) =>
            {
                if (doc.GetString("Status") is not ("Enabled" or "Suspended")) throw S3ConfigErrors.MalformedXml();
                if (bucket.Name.Contains('.'))
                    throw S3ConfigErrors.InvalidRequest("S3 Transfer Acceleration is not supported for buckets with periods (.) in their names");
            });
        RegisterDocument(operations, ReplicationConfigName, "PutBucketReplication", "GetBucketReplication", "DeleteBucketReplication",
            S3ConfigErrors.ReplicationNotFound, (_, bucket, doc) => ValidateReplication(bucket, doc));
        operations
            .On("PutBucketRequestPayment", PutBucketRequestPayment)
            .On("GetBucketRequestPayment", GetBucketRequestPayment)
            .On("PutBucketLogging", PutBucketLogging)
            .On("GetBucketLogging", (ctx, input) => _configs.Get(RequireBucket(ctx, input).Name, LoggingConfigName) ?? [])
            .On("PutBucketNotificationConfiguration", PutBucketNotificationConfiguration)
            .On("GetBucketNotificationConfiguration", (ctx, input) => _configs.Get(RequireBucket(ctx, input).Name, NotificationConfigName) ?? [])
            .On("PutBucketNotification", PutBucketNotification)
            .On("GetBucketNotification", GetBucketNotification);
    }

    // The deprecated notification schema: one configuration per destination kind, named by Topic/Queue/CloudFunction.
    private static readonly (string Legacy, string List, string LegacyArn, string Arn)[] LegacyNotifications =
    [
        ("TopicConfiguration", "TopicConfigurations", "Topic", "TopicArn"),
        ("QueueConfiguration", "QueueConfigurations", "Queue", "QueueArn"),
        ("CloudFunctionConfiguration", "LambdaFunctionConfigurations", "CloudFunction", "LambdaFunctionArn"),
    ];

    /// <summary>The deprecated PutBucketNotification, stored as the current document (the wire routes both forms to the current operation).</summary>
    private Dictionary<string, object?> PutBucketNotification(RequestContext ctx, Dictionary<string, object?> input)
    {
        var legacy = input.GetStruct("NotificationConfiguration") ?? [];
        var current = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (legacyName, list, legacyArn, arn) in LegacyNotifications)
        {
            if (legacy.GetStruct(legacyName) is not { } config) continue;
            var events = config.GetStrings("Events").Concat(config.GetString("Event") is { } single ? [single] : []).Distinct().ToList();
            var converted = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                [arn] = config.GetString(legacyArn),
                ["Events"] = events.Cast<object?>().ToList(),
            };
            if (config.GetString("Id") is { } id) converted["Id"] = id;
            current[list] = new List<object?> { converted };
        }
        return PutBucketNotificationConfiguration(ctx, new(input, StringComparer.Ordinal) { ["NotificationConfiguration"] = current });
    }

    private Dictionary<string, object?> GetBucketNotification(RequestContext ctx, Dictionary<string, object?> input)
    {
        var current = _configs.Get(RequireBucket(ctx, input).Name, NotificationConfigName) ?? [];
        var output = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (legacyName, list, legacyArn, arn) in LegacyNotifications)
            if (current.GetList(list)?.OfType<Dictionary<string, object?>>().FirstOrDefault() is { } config)
                output[legacyName] = new Dictionary<string, object?> { ["Id"] = config.GetString("Id"), ["Events"] = config.GetList("Events"), [legacyArn] = config.GetString(arn) };
        return output;
    }

    /// <summary>Tag rules shared by bucket tagging and lifecycle filters: unique keys, AWS's lengths, no "aws:" keys.</summary>
    internal static void ValidateTagSet(List<object?> tags, int max)
    {
        if (tags.Count > max) throw S3ConfigErrors.InvalidTag($"Bucket tag count cannot be greater than {max}");
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags.OfType<Dictionary<string, object?>>())
        {
            var key = tag.GetString("Key");
            if (string.IsNullOrEmpty(key)) throw S3ConfigErrors.InvalidTag("The TagKey you have provided is invalid");
            if (key.Length > 128) throw S3ConfigErrors.InvalidTag("The TagKey you have provided is too long, max 128");
            if ((tag.GetString("Value") ?? "").Length > 256) throw S3ConfigErrors.InvalidTag("The TagValue you have provided is too long, max 256");
            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
                throw S3ConfigErrors.InvalidTag("System tags cannot be added/updated by requester");
            if (!keys.Add(key)) throw S3ConfigErrors.InvalidTag("Cannot provide multiple Tags with the same key");
        }
    }

    private static void ValidateWebsite(Dictionary<string, object?> doc)
    {
        var redirectAll = doc.GetStruct("RedirectAllRequestsTo");
        if (redirectAll is not null)
        {
            if (doc.ContainsKey("IndexDocument") || doc.ContainsKey("ErrorDocument") || doc.ContainsKey("RoutingRules"))
                throw S3ConfigErrors.InvalidArgument("RedirectAllRequestsTo cannot be provided in conjunction with other Routing/Redirect configurations.");
            if (string.IsNullOrEmpty(redirectAll.GetString("HostName"))) throw S3ConfigErrors.MalformedXml();
            if (redirectAll.GetString("Protocol") is { } protocol && protocol is not ("http" or "https"))
                throw S3ConfigErrors.InvalidArgument("Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically.");
            return;
        }
        var suffix = doc.GetStruct("IndexDocument")?.GetString("Suffix");
        if (suffix is null) throw S3ConfigErrors.InvalidArgument("A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty");
        if (suffix.Length == 0 || suffix.Contains('/')) throw S3ConfigErrors.InvalidArgument("The IndexDocument Suffix is not well formed");
        if (doc.GetStruct("ErrorDocument") is { } error && string.IsNullOrEmpty(error.GetString("Key")))
            throw S3ConfigErrors.InvalidArgument("The ErrorDocument Key is not well formed");
        foreach (var rule in doc.GetList("RoutingRules")?.OfType<Dictionary<string, object?>>() ?? [])
            if (rule.GetStruct("Redirect") is not { Count: > 0 })
                throw S3ConfigErrors.InvalidArgument("Invalid routing rule: a Redirect must be specified");
    }

    private static void ValidateReplication(BucketRecord bucket, Dictionary<string, object?> doc)
    {
        if (bucket.Versioning != "Enabled")
            throw S3ConfigErrors.InvalidRequest("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
        if (string.IsNullOrEmpty(doc.GetString("Role"))) throw S3ConfigErrors.MalformedXml();
        var rules = doc.GetList("Rules")?.OfType<Dictionary<string, object?>>().ToList() ?? [];
        if (rules.Count is 0 or > 1000) throw S3ConfigErrors.MalformedXml();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var priorities = new HashSet<long>();
        foreach (var rule in rules)
        {
            if (rule.GetString("Status") is not ("Enabled" or "Disabled")) throw S3ConfigErrors.MalformedXml();
            if (rule.GetString("ID") is { } id && !ids.Add(id)) throw S3ConfigErrors.InvalidArgument("Rule Id must be unique");
            var destination = rule.GetStruct("Destination")?.GetString("Bucket") ?? throw S3ConfigErrors.MalformedXml();
            if (!destination.StartsWith("arn:aws:s3:::", StringComparison.Ordinal) || destination.Length == "arn:aws:s3:::".Length)
                throw S3ConfigErrors.InvalidArgument("Invalid bucket ARN.");
            if (rule.ContainsKey("Filter"))
            {
                // The V2 schema (a Filter) needs DeleteMarkerReplication and a unique Priority.
                if (rule.GetStruct("DeleteMarkerReplication") is null)
                    throw S3ConfigErrors.InvalidRequest("DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema.");
                if (rule.GetLong("Priority") is { } priority && !priorities.Add(priority))
                    throw S3ConfigErrors.InvalidRequest("Found duplicate priority " + priority + " in rules. Priority must be unique among all rules.");
            }
            else if (rule.GetString("Prefix") is null) throw S3ConfigErrors.MalformedXml();
        }
    }

    private Dictionary<string, object?> PutBucketRequestPayment(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var doc = Payload(ctx, input);
        if (doc.GetString("Payer") is not ("Requester" or "BucketOwner")) throw S3ConfigErrors.MalformedXml();
        _configs.Put(bucket.Name, "RequestPayment", doc);
        return [];
    }

    private Dictionary<string, object?> GetBucketRequestPayment(RequestContext ctx, Dictionary<string, object?> input) =>
        _configs.Get(RequireBucket(ctx, input).Name, "RequestPayment") ?? new() { ["Payer"] = "BucketOwner" };

    private Dictionary<string, object?> PutBucketLogging(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        // An empty BucketLoggingStatus turns logging off.
        var doc = input.GetStruct("BucketLoggingStatus") ?? [];
        if (doc.GetStruct("LoggingEnabled") is not { } enabled)
        {
            _configs.Delete(bucket.Name, LoggingConfigName);
            return [];
        }
        var targetName = enabled.GetString("TargetBucket");
        if (string.IsNullOrEmpty(targetName) || enabled.GetString("TargetPrefix") is null) throw S3ConfigErrors.MalformedXml();
        var target = _buckets.Get(targetName)
            ?? throw new AwsException("InvalidTargetBucketForLogging", "The target bucket for logging does not exist", 400);
        if (target.Owner != bucket.Owner)
            throw new AwsException("InvalidTargetBucketForLogging", "The owner for the bucket to be logged and the target bucket must be the same.", 400);
        if (target.Region != bucket.Region)
            throw new AwsException("CrossLocationLoggingProhibited", "Cross S3 location logging not allowed. ", 403);
        if (enabled.GetList("TargetGrants") is { Count: > 0 } && target.ObjectOwnership == "BucketOwnerEnforced")
            throw new AwsException("InvalidTargetBucketForLogging",
                "Target grants are not supported when the target bucket uses the bucket owner enforced setting for Object Ownership.", 400);
        _configs.Put(bucket.Name, LoggingConfigName, doc);
        return [];
    }

    private Dictionary<string, object?> PutBucketNotificationConfiguration(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var doc = input.GetStruct("NotificationConfiguration") ?? [];
        ValidateNotifications(doc, "TopicConfigurations", "TopicArn", SnsArn());
        ValidateNotifications(doc, "QueueConfigurations", "QueueArn", SqsArn());
        ValidateNotifications(doc, "LambdaFunctionConfigurations", "LambdaFunctionArn", LambdaArn());
        if (input.GetBool("SkipDestinationValidation") != true) ValidateDestinations(ctx, bucket, doc);
        if (doc.Count == 0) _configs.Delete(bucket.Name, NotificationConfigName);
        else _configs.Put(bucket.Name, NotificationConfigName, doc);
        return [];
    }

    private static void ValidateNotifications(Dictionary<string, object?> doc, string listName, string arnMember, Regex arnPattern)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var config in doc.GetList(listName)?.OfType<Dictionary<string, object?>>() ?? [])
        {
            var arn = config.GetString(arnMember);
            if (string.IsNullOrEmpty(arn)) throw S3ConfigErrors.MalformedXml();
            if (!arnPattern.IsMatch(arn)) throw S3ConfigErrors.InvalidArgument("The ARN is not well formed");
            var events = config.GetStrings("Events");
            if (events.Count == 0) throw S3ConfigErrors.MalformedXml();
            foreach (var name in events)
                if (!NotificationEvents.Contains(name))
                    throw S3ConfigErrors.InvalidArgument($"The event '{name}' is not supported for notifications.");
            foreach (var rule in config.GetStruct("Filter")?.GetStruct("Key")?.GetList("FilterRules")?.OfType<Dictionary<string, object?>>() ?? [])
                if (rule.GetString("Name")?.ToLowerInvariant() is not ("prefix" or "suffix"))
                    throw S3ConfigErrors.InvalidArgument("filter rule name must be either prefix or suffix");
            // AWS names a configuration sent without an Id.
            if (config.GetString("Id") is not { Length: > 0 } id)
                config["Id"] = id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(36)).Replace('/', '-').Replace('+', '_');
            if (!ids.Add(id))
                throw S3ConfigErrors.InvalidArgument("Configuration Ids must be unique");
        }
    }

    private static readonly HashSet<string> NotificationEvents = new(StringComparer.Ordinal)
    {
        "s3:ReducedRedundancyLostObject", "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
        "s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated",
        "s3:ObjectRestore:*", "s3:ObjectRestore:Post", "s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete", "s3:Replication:*",
        "s3:Replication:OperationFailedReplication", "s3:Replication:OperationNotTracked", "s3:Replication:OperationMissedThreshold",
        "s3:Replication:OperationReplicatedAfterThreshold", "s3:LifecycleTransition", "s3:IntelligentTiering", "s3:ObjectAcl:Put",
        "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:DeleteMarkerCreated", "s3:ObjectTagging:*",
        "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete",
    };

    [GeneratedRegex(@"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]{1,256}$")]
    private static partial Regex SnsArn();

    [GeneratedRegex(@"^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$")]
    private static partial Regex SqsArn();

    [GeneratedRegex(@"^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$")]
    private static partial Regex LambdaArn();
}
