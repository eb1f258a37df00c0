using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>Something that happened to one object, before it is matched against a bucket's notification configuration.</summary>
/// <param name="EventName">AWS's name without the "s3:" prefix, e.g. "ObjectCreated:Put".</param>
/// <param name="Size">Null for removals, whose records carry no size or ETag.</param>
internal sealed record S3Event(
    string EventName,
    string Key,
    long? Size,
    string? ETag,
    string? VersionId,
    DateTimeOffset Time,
    string PrincipalId,
    string SourceIp,
    string RequestId,
    string HostId);

/// <summary>
/// The notification side of S3: which configurations an event matches (event name with "*" wildcards, prefix/suffix
/// key filters) and the JSON S3 sends (the Records document, eventVersion 2.1, and the s3:TestEvent).
/// </summary>
internal static class S3Notifications
{
    /// <summary>The destination kinds of a notification configuration: list member, ARN member.</summary>
    public static readonly (string List, string Arn)[] Destinations =
    [
        ("QueueConfigurations", "QueueArn"),
        ("TopicConfigurations", "TopicArn"),
        ("LambdaFunctionConfigurations", "LambdaFunctionArn"),
    ];

    private static long _lastSequencer;

    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The configurations of <paramref name="document"/> that want <paramref name="e"/>: (configuration id, destination ARN).</summary>
    public static IEnumerable<(string Id, string Arn)> Matching(Dictionary<string, object?> document, S3Event e)
    {
        var name = "s3:" + e.EventName;
        foreach (var (list, arnMember) in Destinations)
        {
            foreach (var config in document.GetList(list)?.OfType<Dictionary<string, object?>>() ?? [])
            {
                if (config.GetString(arnMember) is not { Length: > 0 } arn) continue;
                if (!config.GetStrings("Events").Any(pattern => EventMatches(pattern, name))) continue;
                if (!KeyMatches(config, e.Key)) continue;
                yield return (config.GetString("Id") ?? "", arn);
            }
        }
    }

    /// <summary>"s3:ObjectCreated:*" covers every ObjectCreated event; other names match exactly.</summary>
    public static bool EventMatches(string pattern, string name) =>
        pattern == name || pattern.EndsWith(":*", StringComparison.Ordinal) && name.StartsWith(pattern[..^1], StringComparison.Ordinal);

    /// <summary>Prefix and suffix rules (names case-insensitive, values case-sensitive); all must hold.</summary>
    private static bool KeyMatches(Dictionary<string, object?> config, string key)
    {
        foreach (var rule in config.GetStruct("Filter")?.GetStruct("Key")?.GetList("FilterRules")?.OfType<Dictionary<string, object?>>() ?? [])
        {
            var value = rule.GetString("Value") ?? "";
            var ok = rule.GetString("Name")?.ToLowerInvariant() switch
            {
                "prefix" => key.StartsWith(value, StringComparison.Ordinal),
                "suffix" => key.EndsWith(value, StringComparison.Ordinal),
                _ => true,
            };
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>The event record S3 sends (one record per message), for one configuration.</summary>
    public static string EventJson(S3Event e, BucketRecord bucket, string configurationId, string sequencer)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, Relaxed))
        {
            w.WriteStartObject();
            w.WriteStartArray("Records");
            w.WriteStartObject();
            w.WriteString("eventVersion", "2.1");
            w.WriteString("eventSource", "aws:s3");
            w.WriteString("awsRegion", bucket.Region);
            w.WriteString("eventTime", Iso(e.Time));
            w.WriteString("eventName", e.EventName);
            w.WriteStartObject("userIdentity");
            w.WriteString("principalId", e.PrincipalId);
            w.WriteEndObject();
            w.WriteStartObject("requestParameters");
            w.WriteString("sourceIPAddress", e.SourceIp);
            w.WriteEndObject();
            w.WriteStartObject("responseElements");
            w.WriteString("x-amz-request-id", e.RequestId);
            w.WriteString("x-amz-id-2", e.HostId);
            w.WriteEndObject();
            w.WriteStartObject("s3");
            w.WriteString("s3SchemaVersion", "1.0");
            w.WriteString("configurationId", configurationId);
            w.WriteStartObject("bucket");
            w.WriteString("name", bucket.Name);
            w.WriteStartObject("ownerIdentity");
            w.WriteString("principalId", OwnerPrincipal(bucket.Owner));
            w.WriteEndObject();
            w.WriteString("arn", "arn:aws:s3:::" + bucket.Name);
            w.WriteEndObject();
            w.WriteStartObject("object");
            w.WriteString("key", EncodeKey(e.Key));
            if (e.Size is { } size) w.WriteNumber("size", size);
            if (e.ETag is { } etag) w.WriteString("eTag", etag.Trim('"'));
            if (e.VersionId is { } versionId) w.WriteString("versionId", versionId);
            w.WriteString("sequencer", sequencer);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>What S3 sends to each destination when a notification configuration is put.</summary>
    public static string TestEventJson(string bucket, DateTimeOffset time, string requestId, string hostId)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, Relaxed))
        {
            w.WriteStartObject();
            w.WriteString("Service", "Amazon S3");
            w.WriteString("Event", "s3:TestEvent");
            w.WriteString("Time", Iso(time));
            w.WriteString("Bucket", bucket);
            w.WriteString("RequestId", requestId);
            w.WriteString("HostId", hostId);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Keys are form-URL-encoded in event records (a space is "+"), with "/" left as is, so handlers decode them with
    /// unquote_plus / URLDecoder as AWS documents.
    /// </summary>
    public static string EncodeKey(string key)
    {
        var sb = new StringBuilder(key.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '*' or '/') sb.Append(c);
            else if (c == ' ') sb.Append('+');
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>A hex string that grows with every event, so the events of one key order by it (as S3's sequencer does).</summary>
    public static string NextSequencer(DateTimeOffset now)
    {
        long seq, next;
        do
        {
            seq = Interlocked.Read(ref _lastSequencer);
            next = Math.Max(seq + 1, now.UtcTicks);
        } while (Interlocked.CompareExchange(ref _lastSequencer, next, seq) != seq);
        return next.ToString("X18", CultureInfo.InvariantCulture);
    }

    /// <summary>The principal id S3 shows for a bucket owner: a short upper-case id derived from the account.</summary>
    public static string OwnerPrincipal(string account) => "A" + S3Owner.CanonicalId(account)[..13].ToUpperInvariant();

    /// <summary>userIdentity.principalId: "AWS:&lt;user id&gt;" for IAM principals, the account id for the root user.</summary>
    public static string RequesterPrincipal(Nephele.Core.Auth.CallerIdentity caller) =>
        caller.UserId == caller.AccountId ? caller.AccountId : "AWS:" + caller.UserId;

    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
