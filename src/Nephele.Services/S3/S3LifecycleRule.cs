using System.Globalization;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>
/// One stored lifecycle rule, read for execution: its filter (prefix, tags, object size bounds) and its actions.
/// Day counts follow S3: the object's creation (or noncurrent) time plus the days, rounded up to the next midnight UTC.
/// </summary>
internal sealed class S3LifecycleRule
{
    public string Id { get; private init; } = "";
    public bool Enabled { get; private init; }
    public string Prefix { get; private init; } = "";
    public Dictionary<string, string> Tags { get; private init; } = [];
    public long? SizeGreaterThan { get; private init; }
    public long? SizeLessThan { get; private init; }
    public long? ExpirationDays { get; private init; }
    public DateTimeOffset? ExpirationDate { get; private init; }
    public bool ExpiredObjectDeleteMarker { get; private init; }
    public long? NoncurrentDays { get; private init; }
    public long? NewerNoncurrentVersions { get; private init; }
    public long? AbortDays { get; private init; }
    public List<(long? Days, DateTimeOffset? Date, string StorageClass)> Transitions { get; private init; } = [];
    public List<(long Days, string StorageClass)> NoncurrentTransitions { get; private init; } = [];

    public bool Expires => ExpirationDays is not null || ExpirationDate is not null;

    public static List<S3LifecycleRule> Parse(IEnumerable<Dictionary<string, object?>> rules) => [.. rules.Select(Parse)];

    private static S3LifecycleRule Parse(Dictionary<string, object?> rule)
    {
        var filter = rule.GetStruct("Filter");
        var and = filter?.GetStruct("And");
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (filter?.GetStruct("Tag") is { } tag) tags[tag.GetString("Key") ?? ""] = tag.GetString("Value") ?? "";
        foreach (var t in and?.GetList("Tags")?.OfType<Dictionary<string, object?>>() ?? []) tags[t.GetString("Key") ?? ""] = t.GetString("Value") ?? "";
        var expiration = rule.GetStruct("Expiration");
        var noncurrent = rule.GetStruct("NoncurrentVersionExpiration");
        return new S3LifecycleRule
        {
            Id = rule.GetString("ID") ?? "",
            Enabled = rule.GetString("Status") == "Enabled",
            Prefix = rule.GetString("Prefix") ?? filter?.GetString("Prefix") ?? and?.GetString("Prefix") ?? "",
            Tags = tags,
            SizeGreaterThan = filter?.GetLong("ObjectSizeGreaterThan") ?? and?.GetLong("ObjectSizeGreaterThan"),
            SizeLessThan = filter?.GetLong("ObjectSizeLessThan") ?? and?.GetLong("ObjectSizeLessThan"),
            ExpirationDays = expiration?.GetLong("Days"),
            ExpirationDate = expiration?.GetTimestamp("Date"),
            ExpiredObjectDeleteMarker = expiration?.GetBool("ExpiredObjectDeleteMarker") == true,
            NoncurrentDays = noncurrent?.GetLong("NoncurrentDays"),
            NewerNoncurrentVersions = noncurrent?.GetLong("NewerNoncurrentVersions"),
            AbortDays = rule.GetStruct("AbortIncompleteMultipartUpload")?.GetLong("DaysAfterInitiation"),
            Transitions = [.. (rule.GetList("Transitions")?.OfType<Dictionary<string, object?>>() ?? [])
                .Select(t => (t.GetLong("Days"), t.GetTimestamp("Date"), t.GetString("StorageClass") ?? "STANDARD"))],
            NoncurrentTransitions = [.. (rule.GetList("NoncurrentVersionTransitions")?.OfType<Dictionary<string, object?>>() ?? [])
                .Select(t => (t.GetLong("NoncurrentDays") ?? 0, t.GetString("StorageClass") ?? "STANDARD"))],
        };
    }

    /// <summary>Whether the rule's filter selects this object (or delete marker, which has no size or tags).</summary>
    public bool Matches(ObjectRecord obj)
    {
        if (!obj.Key.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        if (obj.IsDeleteMarker) return Tags.Count == 0 && SizeGreaterThan is null && SizeLessThan is null;
        if (SizeGreaterThan is { } greater && obj.Size <= greater) return false;
        if (SizeLessThan is { } less && obj.Size >= less) return false;
        foreach (var (k, v) in Tags)
            if (!obj.Tags.TryGetValue(k, out var actual) || actual != v) return false;
        return true;
    }

    /// <summary>When the current version <paramref name="obj"/> expires under this rule, or null when the rule does not expire objects.</summary>
    public DateTimeOffset? ExpiryOf(ObjectRecord obj) =>
        ExpirationDate ?? (ExpirationDays is { } days ? AfterDays(obj.LastModified, days) : null);

    /// <summary>The storage class the transitions due by <paramref name="now"/> put a current version in, or null for none.</summary>
    public string? TransitionDue(ObjectRecord obj, DateTimeOffset now)
    {
        string? target = null;
        var latest = DateTimeOffset.MinValue;
        foreach (var (days, date, storageClass) in Transitions)
        {
            var due = date ?? AfterDays(obj.LastModified, days ?? 0);
            if (due <= now && due >= latest) (target, latest) = (storageClass, due);
        }
        return target;
    }

    /// <summary>The storage class the noncurrent transitions due by <paramref name="now"/> put a version noncurrent since <paramref name="since"/> in.</summary>
    public string? NoncurrentTransitionDue(DateTimeOffset since, DateTimeOffset now)
    {
        string? target = null;
        var latest = DateTimeOffset.MinValue;
        foreach (var (days, storageClass) in NoncurrentTransitions)
        {
            var due = AfterDays(since, days);
            if (due <= now && due >= latest) (target, latest) = (storageClass, due);
        }
        return target;
    }

    /// <summary>S3's day arithmetic: add the days, then round up to the following midnight UTC.</summary>
    public static DateTimeOffset AfterDays(DateTimeOffset from, long days) =>
        new DateTimeOffset(from.UtcDateTime.AddDays(days).Date, TimeSpan.Zero).AddDays(1);

    /// <summary>The x-amz-expiration value: expiry-date="&lt;RFC 1123&gt;", rule-id="&lt;id&gt;".</summary>
    public static string ExpirationHeader(DateTimeOffset expiry, string ruleId) =>
        $"expiry-date=\"{expiry.UtcDateTime.ToString("R", CultureInfo.InvariantCulture)}\", rule-id=\"{ruleId}\"";
}
