using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>
/// Lifecycle configuration: stored as the current (V2) LifecycleConfiguration and validated as S3 does.
/// The legacy PutBucketLifecycle/GetBucketLifecycle share the wire route, which the router gives to the current
/// operations (legacy XML, a Prefix per rule and single Transitions, reads as a subset of the current schema);
/// their handlers convert the same document for callers that dispatch them by name.
/// Executing the rules is the object store's sweeper's job, through <see cref="LifecycleRules"/>.
/// </summary>
public sealed partial class S3Provider
{
    private const string LifecycleConfigName = "Lifecycle";
    private const string DefaultMinimumObjectSize = "all_storage_classes_128K";

    private static readonly HashSet<string> TransitionClasses = new(StringComparer.Ordinal)
    {
        "GLACIER", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "DEEP_ARCHIVE", "GLACIER_IR",
    };

    private void RegisterLifecycle(OperationRegistry operations) => operations
        .On("PutBucketLifecycleConfiguration", PutBucketLifecycleConfiguration)
        .On("GetBucketLifecycleConfiguration", GetBucketLifecycleConfiguration)
        .On("DeleteBucketLifecycle", (ctx, input) =>
        {
            _configs.Delete(RequireBucket(ctx, input).Name, LifecycleConfigName);
            return [];
        })
        .On("PutBucketLifecycle", PutBucketLifecycle)
        .On("GetBucketLifecycle", GetBucketLifecycle);

    private Dictionary<string, object?> PutBucketLifecycleConfiguration(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var doc = Payload(ctx, input);
        var size = input.GetString("TransitionDefaultMinimumObjectSize") ?? DefaultMinimumObjectSize;
        if (size is not ("all_storage_classes_128K" or "varies_by_storage_class"))
            throw S3ConfigErrors.InvalidRequest("Invalid TransitionDefaultMinimumObjectSize found: " + size);
        ValidateLifecycle(doc.GetList("Rules")?.OfType<Dictionary<string, object?>>().ToList() ?? []);
        _configs.Put(bucket.Name, LifecycleConfigName, new() { ["Rules"] = doc["Rules"], ["TransitionDefaultMinimumObjectSize"] = size });
        return new() { ["TransitionDefaultMinimumObjectSize"] = size };
    }

    private Dictionary<string, object?> GetBucketLifecycleConfiguration(RequestContext ctx, Dictionary<string, object?> input) =>
        _configs.Get(RequireBucket(ctx, input).Name, LifecycleConfigName) ?? throw S3ConfigErrors.NoSuchLifecycleConfiguration();

    /// <summary>The legacy form: each rule has a Prefix and at most one Transition and NoncurrentVersionTransition.</summary>
    private Dictionary<string, object?> PutBucketLifecycle(RequestContext ctx, Dictionary<string, object?> input)
    {
        var bucket = RequireBucket(ctx, input);
        var rules = new List<Dictionary<string, object?>>();
        foreach (var legacy in Payload(ctx, input).GetList("Rules")?.OfType<Dictionary<string, object?>>() ?? [])
        {
            var rule = new Dictionary<string, object?>(legacy, StringComparer.Ordinal);
            if (rule.Remove("Transition", out var transition)) rule["Transitions"] = new List<object?> { transition };
            if (rule.Remove("NoncurrentVersionTransition", out var noncurrent)) rule["NoncurrentVersionTransitions"] = new List<object?> { noncurrent };
            rules.Add(rule);
        }
        ValidateLifecycle(rules);
        _configs.Put(bucket.Name, LifecycleConfigName, new()
        {
            ["Rules"] = rules.Cast<object?>().ToList(),
            ["TransitionDefaultMinimumObjectSize"] = DefaultMinimumObjectSize,
        });
        return [];
    }

    private Dictionary<string, object?> GetBucketLifecycle(RequestContext ctx, Dictionary<string, object?> input)
    {
        var doc = _configs.Get(RequireBucket(ctx, input).Name, LifecycleConfigName) ?? throw S3ConfigErrors.NoSuchLifecycleConfiguration();
        var rules = new List<object?>();
        foreach (var rule in doc.GetList("Rules")?.OfType<Dictionary<string, object?>>() ?? [])
        {
            var legacy = new Dictionary<string, object?>(rule, StringComparer.Ordinal);
            if (legacy.Remove("Filter", out var filter)) legacy["Prefix"] = (filter as Dictionary<string, object?>)?.GetString("Prefix") ?? "";
            if (legacy.Remove("Transitions", out var transitions)) legacy["Transition"] = (transitions as List<object?>)?.FirstOrDefault();
            if (legacy.Remove("NoncurrentVersionTransitions", out var noncurrent)) legacy["NoncurrentVersionTransition"] = (noncurrent as List<object?>)?.FirstOrDefault();
            rules.Add(legacy);
        }
        return new() { ["Rules"] = rules };
    }

    private static void ValidateLifecycle(List<Dictionary<string, object?>> rules)
    {
        if (rules.Count is 0 or > 1000) throw S3ConfigErrors.MalformedXml();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (rule.GetString("Status") is not ("Enabled" or "Disabled")) throw S3ConfigErrors.MalformedXml();
            if (rule.GetString("ID") is { Length: > 0 } id)
            {
                if (id.Length > 255) throw S3ConfigErrors.InvalidArgument("ID length should not exceed allowed limit of 255");
                if (!ids.Add(id)) throw S3ConfigErrors.InvalidArgument("Rule ID must be unique. Found same ID for more than one rule");
            }
            // Exactly one of the legacy Prefix and the Filter.
            var filter = rule.GetStruct("Filter");
            if (rule.ContainsKey("Prefix") == rule.ContainsKey("Filter")) throw S3ConfigErrors.MalformedXml();
            var hasTags = filter is not null && ValidateLifecycleFilter(filter);

            var expiration = rule.GetStruct("Expiration");
            var noncurrentExpiration = rule.GetStruct("NoncurrentVersionExpiration");
            var abort = rule.GetStruct("AbortIncompleteMultipartUpload");
            var transitions = rule.GetList("Transitions")?.OfType<Dictionary<string, object?>>().ToList() ?? [];
            var noncurrentTransitions = rule.GetList("NoncurrentVersionTransitions")?.OfType<Dictionary<string, object?>>().ToList() ?? [];
            if (expiration is null && noncurrentExpiration is null && abort is null && transitions.Count == 0 && noncurrentTransitions.Count == 0)
                throw S3ConfigErrors.InvalidRequest("At least one action needs to be specified in a rule");

            if (expiration is not null) ValidateExpiration(expiration, hasTags);
            if (noncurrentExpiration is not null)
            {
                if (noncurrentExpiration.GetLong("NoncurrentDays") is not > 0)
                    throw S3ConfigErrors.InvalidArgument("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer");
                if (noncurrentExpiration.GetLong("NewerNoncurrentVersions") is < 1 or > 100)
                    throw S3ConfigErrors.InvalidArgument("'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be between 1 and 100");
            }
            if (abort is not null)
            {
                if (abort.GetLong("DaysAfterInitiation") is not > 0)
                    throw S3ConfigErrors.InvalidArgument("'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer");
                if (hasTags) throw S3ConfigErrors.InvalidRequest("AbortIncompleteMultipartUpload cannot be specified with Tags.");
            }
            ValidateTransitions(transitions, expiration);
            var classes = new HashSet<string>(StringComparer.Ordinal);
            foreach (var t in noncurrentTransitions)
            {
                if (t.GetString("StorageClass") is not { } storageClass || !TransitionClasses.Contains(storageClass)) throw S3ConfigErrors.MalformedXml();
                if (!classes.Add(storageClass))
                    throw S3ConfigErrors.InvalidRequest("'StorageClass' must be different for 'NoncurrentVersionTransition' actions in same 'Rule'");
                if (t.GetLong("NoncurrentDays") is not >= 0)
                    throw S3ConfigErrors.InvalidArgument("'NoncurrentDays' for NoncurrentVersionTransition action must be a non-negative integer");
                if (noncurrentExpiration?.GetLong("NoncurrentDays") is { } expires && expires <= t.GetLong("NoncurrentDays"))
                    throw S3ConfigErrors.InvalidArgument(
                        "'NoncurrentDays' in the NoncurrentVersionExpiration action must be greater than 'NoncurrentDays' in the NoncurrentVersionTransition action");
            }
        }
    }

    /// <summary>A filter has at most one condition (several go in an And); true when it filters on tags.</summary>
    private static bool ValidateLifecycleFilter(Dictionary<string, object?> filter)
    {
        if (filter.Count(kv => kv.Value is not null) > 1) throw S3ConfigErrors.MalformedXml();
        if (filter.GetStruct("Tag") is { } tag)
        {
            ValidateTagSet([tag], 1);
            return true;
        }
        ValidateObjectSizes(filter);
        if (filter.GetStruct("And") is not { } and) return false;
        if (and.Count(kv => kv.Value is not null) == 0) throw S3ConfigErrors.MalformedXml();
        var tags = and.GetList("Tags") ?? [];
        ValidateTagSet(tags, int.MaxValue);
        ValidateObjectSizes(and);
        return tags.Count > 0;
    }

    private static void ValidateObjectSizes(Dictionary<string, object?> filter)
    {
        var greater = filter.GetLong("ObjectSizeGreaterThan");
        var less = filter.GetLong("ObjectSizeLessThan");
        if (greater < 0) throw S3ConfigErrors.InvalidArgument("'ObjectSizeGreaterThan' must be a non-negative integer");
        if (less <= 0) throw S3ConfigErrors.InvalidArgument("'ObjectSizeLessThan' must be a positive integer");
        if (greater >= less) throw S3ConfigErrors.InvalidArgument("'ObjectSizeGreaterThan' must be less than 'ObjectSizeLessThan'");
    }

    private static void ValidateExpiration(Dictionary<string, object?> expiration, bool hasTags)
    {
        var days = expiration.GetLong("Days");
        var date = expiration.GetTimestamp("Date");
        var marker = expiration.GetBool("ExpiredObjectDeleteMarker");
        if ((days is not null ? 1 : 0) + (date is not null ? 1 : 0) + (marker is not null ? 1 : 0) != 1) throw S3ConfigErrors.MalformedXml();
        if (days is <= 0) throw S3ConfigErrors.InvalidArgument("'Days' for Expiration action must be a positive integer");
        if (date is { } d) RequireMidnight(d);
        if (marker == true && hasTags) throw S3ConfigErrors.InvalidRequest("ExpiredObjectDeleteMarker cannot be specified with tags");
    }

    private static void ValidateTransitions(List<Dictionary<string, object?>> transitions, Dictionary<string, object?>? expiration)
    {
        var classes = new HashSet<string>(StringComparer.Ordinal);
        bool byDays = false, byDate = false;
        long maxDays = -1;
        var maxDate = DateTimeOffset.MinValue;
        foreach (var t in transitions)
        {
            if (t.GetString("StorageClass") is not { } storageClass || !TransitionClasses.Contains(storageClass)) throw S3ConfigErrors.MalformedXml();
            if (!classes.Add(storageClass)) throw S3ConfigErrors.InvalidRequest("'StorageClass' must be different for 'Transition' actions in same 'Rule'");
            var days = t.GetLong("Days");
            var date = t.GetTimestamp("Date");
            if ((days is null) == (date is null)) throw S3ConfigErrors.MalformedXml();
            if (date is { } d)
            {
                RequireMidnight(d);
                byDate = true;
                if (d > maxDate) maxDate = d;
                continue;
            }
            if (days < 0) throw S3ConfigErrors.InvalidArgument("'Days' in Transition action must be a non-negative integer");
            // The infrequent-access classes need objects that are at least 30 days old.
            if (storageClass is "STANDARD_IA" or "ONEZONE_IA" && days < 30)
                throw S3ConfigErrors.InvalidArgument($"'Days' in Transition action must be greater than or equal to 30 for storageClass '{storageClass}'");
            byDays = true;
            maxDays = Math.Max(maxDays, days!.Value);
        }
        if (byDays && byDate) throw S3ConfigErrors.InvalidRequest("Found mixed 'Date' and 'Days' based Transition actions in lifecycle rule");
        if (expiration is null || transitions.Count == 0) return;
        var expirationDays = expiration.GetLong("Days");
        var expirationDate = expiration.GetTimestamp("Date");
        if ((expirationDays is not null && byDate) || (expirationDate is not null && byDays))
            throw S3ConfigErrors.InvalidRequest("Found mixed 'Date' and 'Days' based Expiration and Transition actions in lifecycle rule");
        if (expirationDays is { } ed && ed <= maxDays)
            throw S3ConfigErrors.InvalidArgument("'Days' in the Expiration action for filter must be greater than 'Days' in the Transition action");
        if (expirationDate is { } edate && edate <= maxDate)
            throw S3ConfigErrors.InvalidArgument("'Date' in the Expiration action for filter must be later than 'Date' in the Transition action");
    }

    private static void RequireMidnight(DateTimeOffset date)
    {
        if (date.ToUniversalTime().TimeOfDay != TimeSpan.Zero) throw S3ConfigErrors.InvalidArgument("'Date' must be at midnight GMT");
    }
}
