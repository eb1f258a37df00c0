using System.Globalization;
using System.Text.Json;
using Nephele.Core.State;

namespace Nephele.Services.Sqs;

/// <summary>SQS queue attributes: which exist, their defaults and ranges, and how a queue's values are read.</summary>
internal static class QueueAttributes
{
    public const int MaxMessageBytes = 262_144;

    private static readonly Dictionary<string, (long Min, long Max, string Default)> Numeric = new(StringComparer.Ordinal)
    {
        ["VisibilityTimeout"] = (0, 43_200, "30"),
        ["DelaySeconds"] = (0, 900, "0"),
        ["MessageRetentionPeriod"] = (60, 1_209_600, "345600"),
        ["MaximumMessageSize"] = (1024, MaxMessageBytes, "262144"),
        ["ReceiveMessageWaitTimeSeconds"] = (0, 20, "0"),
        ["KmsDataKeyReusePeriodSeconds"] = (60, 86_400, "300"),
    };

    /// <summary>Attributes stored as given (policies, encryption, FIFO settings), beyond the numeric ones.</summary>
    private static readonly HashSet<string> Stored = new(StringComparer.Ordinal)
    {
        "Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId", "SqsManagedSseEnabled", "FifoQueue",
        "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit",
    };

    /// <summary>Computed by SQS, readable but never settable.</summary>
    public static readonly string[] ReadOnly =
    [
        "QueueArn", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed", "CreatedTimestamp", "LastModifiedTimestamp",
    ];

    public static bool IsKnown(string name) => Numeric.ContainsKey(name) || Stored.Contains(name) || ReadOnly.Contains(name);

    /// <summary>Checks names and values; returns them normalized the way GetQueueAttributes will answer.</summary>
    public static Dictionary<string, string> Validate(Dictionary<string, string> attributes, Scope scope, bool creating)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in attributes)
        {
            if (Numeric.TryGetValue(name, out var range))
            {
                if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < range.Min || n > range.Max)
                    throw SqsErrors.InvalidAttributeValue(name);
                result[name] = n.ToString(CultureInfo.InvariantCulture);
            }
            else if (name == "RedrivePolicy") result[name] = value.Length == 0 ? "" : NormalizeRedrivePolicy(value, scope);
            else if (name == "RedriveAllowPolicy") result[name] = value.Length == 0 ? "" : ValidateRedriveAllowPolicy(value);
            else if (name is "FifoQueue" or "ContentBasedDeduplication" or "SqsManagedSseEnabled")
            {
                if (!bool.TryParse(value, out var b)) throw SqsErrors.InvalidAttributeValue(name);
                // FifoQueue is fixed at creation.
                if (name == "FifoQueue" && !creating) throw SqsErrors.InvalidAttributeName(name);
                result[name] = b ? "true" : "false";
            }
            else if (Stored.Contains(name)) result[name] = value;
            else throw SqsErrors.InvalidAttributeName(name);
        }
        return result;
    }

    /// <summary>AWS's queue-name rule: 1-80 of [A-Za-z0-9_-], with ".fifo" exactly when FifoQueue is true.</summary>
    public static void ValidateName(string name, bool fifo)
    {
        var endsFifo = name.EndsWith(".fifo", StringComparison.Ordinal);
        var stem = endsFifo ? name[..^5] : name;
        var valid = name.Length is >= 1 and <= 80 && stem.Length > 0 && stem.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
        if (fifo && (!endsFifo || !valid))
            throw SqsErrors.InvalidParameterValue("The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.");
        if (!fifo && (endsFifo || !valid))
            throw SqsErrors.InvalidParameterValue("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
    }

    /// <summary>A stored attribute, else its default; null for attributes with neither.</summary>
    public static string? Effective(QueueRecord queue, string name) =>
        queue.Attributes.TryGetValue(name, out var v) ? v
            : Numeric.TryGetValue(name, out var range) ? range.Default
            : name == "SqsManagedSseEnabled" ? "true"
            : null;

    public static long Number(QueueRecord queue, string name) =>
        long.Parse(Effective(queue, name)!, CultureInfo.InvariantCulture);

    /// <summary>Every attribute with a value on this queue, computed ones excluded.</summary>
    public static IEnumerable<string> Settable(QueueRecord queue) =>
        Numeric.Keys.Concat(Stored).Where(n => Effective(queue, n) is { Length: > 0 }
            // The data key period means something only with a KMS key, and AWS lists it only then.
            && (n != "KmsDataKeyReusePeriodSeconds" || queue.Attributes.ContainsKey("KmsMasterKeyId")));

    public static (string Arn, int MaxReceiveCount)? RedriveTarget(QueueRecord queue)
    {
        if (!queue.Attributes.TryGetValue("RedrivePolicy", out var policy) || policy.Length == 0) return null;
        using var doc = JsonDocument.Parse(policy);
        var root = doc.RootElement;
        return (root.GetProperty("deadLetterTargetArn").GetString()!, root.GetProperty("maxReceiveCount").GetInt32());
    }

    /// <summary>Whether a dead-letter queue's RedriveAllowPolicy lets <paramref name="sourceArn"/> name it as its target.</summary>
    public static bool AllowsSource(QueueRecord deadLetterQueue, string sourceArn)
    {
        if (!deadLetterQueue.Attributes.TryGetValue("RedriveAllowPolicy", out var policy) || policy.Length == 0) return true;
        using var doc = JsonDocument.Parse(policy);
        return doc.RootElement.GetProperty("redrivePermission").GetString() switch
        {
            "denyAll" => false,
            "byQueue" => doc.RootElement.GetProperty("sourceQueueArns").EnumerateArray().Any(a => a.GetString() == sourceArn),
            _ => true,
        };
    }

    /// <summary>redrivePermission is allowAll, denyAll or byQueue; sourceQueueArns (1 to 10) only with byQueue.</summary>
    private static string ValidateRedriveAllowPolicy(string value)
    {
        string Invalid(string reason) => throw SqsErrors.InvalidParameterValue($"Value {value} for parameter RedriveAllowPolicy is invalid. Reason: {reason}");
        try
        {
            using var doc = JsonDocument.Parse(value);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) Invalid("Redrive allow policy is not a valid JSON map.");
            var permission = doc.RootElement.TryGetProperty("redrivePermission", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            if (permission is not ("allowAll" or "denyAll" or "byQueue"))
                Invalid("Invalid value for redrivePermission. Valid values are allowAll, denyAll and byQueue.");
            var hasSources = doc.RootElement.TryGetProperty("sourceQueueArns", out var sources);
            if (permission == "byQueue")
            {
                if (!hasSources || sources.ValueKind != JsonValueKind.Array || sources.GetArrayLength() is < 1 or > 10
                    || sources.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
                    Invalid("sourceQueueArns must be a list of 1 to 10 queue ARNs when redrivePermission is byQueue.");
            }
            else if (hasSources) Invalid("sourceQueueArns can be specified only when redrivePermission is byQueue.");
            return value;
        }
        catch (JsonException)
        {
            return Invalid("Redrive allow policy is not a valid JSON map.");
        }
    }

    private static string NormalizeRedrivePolicy(string value, Scope scope)
    {
        string? arn = null;
        long maxReceiveCount = 0;
        try
        {
            using var doc = JsonDocument.Parse(value);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.NameEquals("deadLetterTargetArn")) arn = p.Value.GetString();
                // Clients send maxReceiveCount as a number or a string; AWS answers a number.
                else if (p.NameEquals("maxReceiveCount"))
                    maxReceiveCount = p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetInt64()
                        : long.Parse(p.Value.GetString() ?? "", CultureInfo.InvariantCulture);
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            throw SqsErrors.InvalidParameterValue($"Value {value} for parameter RedrivePolicy is invalid. Reason: Redrive policy is not a valid JSON map.");
        }
        if (arn is null || !arn.StartsWith($"arn:aws:sqs:{scope.Region}:", StringComparison.Ordinal))
            throw SqsErrors.InvalidParameterValue($"Value {value} for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.");
        if (maxReceiveCount is < 1 or > 1000)
            throw SqsErrors.InvalidParameterValue($"Value {value} for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: {maxReceiveCount}, valid values are from 1 to 1000 both inclusive.");
        return JsonSerializer.Serialize(new RedrivePolicy(arn, maxReceiveCount), SqsPolicyJsonContext.Default.RedrivePolicy);
    }
}

internal sealed record RedrivePolicy(
    [property: System.Text.Json.Serialization.JsonPropertyName("deadLetterTargetArn")] string DeadLetterTargetArn,
    [property: System.Text.Json.Serialization.JsonPropertyName("maxReceiveCount")] long MaxReceiveCount);

[System.Text.Json.Serialization.JsonSerializable(typeof(RedrivePolicy))]
internal sealed partial class SqsPolicyJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
