using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Logs;

/// <summary>
/// Metric filters (stored, listed and testable against sample messages; no metrics are emitted while Nephele has no
/// CloudWatch metrics) and subscription filters (matching events really go to the destination: see
/// <see cref="SubscriptionDelivery"/>). Both live on their log group's record, so deleting a group deletes them.
/// </summary>
public sealed partial class LogsProvider
{
    private const int MaxMetricFilters = 100;
    private const int MaxSubscriptionFilters = 2;

    private Dictionary<string, object?> PutMetricFilter(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = FilterName(input);
        var pattern = Pattern(input);
        var transformations = input.GetList("metricTransformations")?.OfType<Dictionary<string, object?>>().ToList() ?? [];
        if (transformations.Count != 1)
            throw LogsErrors.Constraint(transformations.Count, "metricTransformations",
                transformations.Count == 0 ? "Member must have length greater than or equal to 1" : "Member must have length less than or equal to 1");
        var parsed = transformations.Select(Transformation).ToList();
        return _store.Transaction(() =>
        {
            var group = RequireGroup(ctx, input.RequireString("logGroupName"));
            var existing = group.MetricFilters.FirstOrDefault(f => f.Name == name);
            if (existing is null && group.MetricFilters.Count >= MaxMetricFilters) throw LimitExceeded();
            var filter = new MetricFilterRecord { Name = name, Pattern = pattern, Transformations = parsed, CreationTime = existing?.CreationTime ?? ctx.Now.ToUnixTimeMilliseconds() };
            _store.PutGroup(ctx.Scope, group with { MetricFilters = [.. group.MetricFilters.Where(f => f.Name != name), filter] });
            return new Dictionary<string, object?>();
        });
    }

    private Dictionary<string, object?> DescribeMetricFilters(RequestContext ctx, Dictionary<string, object?> input)
    {
        var limit = Limit(input, 50);
        var groupName = input.GetString("logGroupName");
        var prefix = input.GetString("filterNamePrefix");
        var metricName = input.GetString("metricName");
        var metricNamespace = input.GetString("metricNamespace");
        if (prefix is not null && groupName is null)
            throw LogsErrors.InvalidParameter("If you specify filterNamePrefix, you must also specify logGroupName.");
        if ((metricName is null) != (metricNamespace is null))
            throw LogsErrors.InvalidParameter("If you specify one of metricName or metricNamespace, you must specify both.");
        var groups = groupName is null ? _store.Groups(ctx.Scope) : [RequireGroup(ctx, groupName)];
        var filters = groups.SelectMany(g => g.MetricFilters.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => (Group: g.Name, Filter: f)))
            .Where(x => prefix is null || x.Filter.Name.StartsWith(prefix, StringComparison.Ordinal))
            .Where(x => metricName is null || x.Filter.Transformations.Any(t => t.MetricName == metricName && t.MetricNamespace == metricNamespace));
        var (page, next) = FilterPage(filters, x => x.Group + "\u0001" + x.Filter.Name, input.GetString("nextToken"), limit);
        return new()
        {
            ["metricFilters"] = page.Select(x => (object?)new Dictionary<string, object?>
            {
                ["filterName"] = x.Filter.Name,
                ["filterPattern"] = x.Filter.Pattern,
                ["metricTransformations"] = x.Filter.Transformations.Select(t => (object?)new Dictionary<string, object?>
                {
                    ["metricName"] = t.MetricName,
                    ["metricNamespace"] = t.MetricNamespace,
                    ["metricValue"] = t.MetricValue,
                    ["defaultValue"] = t.DefaultValue,
                    ["dimensions"] = t.Dimensions?.ToDictionary(d => d.Key, d => (object?)d.Value),
                    ["unit"] = t.Unit,
                }).ToList(),
                ["creationTime"] = x.Filter.CreationTime,
                ["logGroupName"] = x.Group,
            }).ToList(),
            ["nextToken"] = next,
        };
    }

    private Dictionary<string, object?> DeleteMetricFilter(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = input.RequireString("filterName");
        return _store.Transaction(() =>
        {
            var group = RequireGroup(ctx, input.RequireString("logGroupName"));
            if (group.MetricFilters.All(f => f.Name != name))
                throw new AwsException("ResourceNotFoundException", "The specified metric filter does not exist.");
            _store.PutGroup(ctx.Scope, group with { MetricFilters = [.. group.MetricFilters.Where(f => f.Name != name)] });
            return new Dictionary<string, object?>();
        });
    }

    private Dictionary<string, object?> TestMetricFilter(RequestContext ctx, Dictionary<string, object?> input)
    {
        var pattern = Pattern(input);
        var messages = input.GetStrings("logEventMessages");
        if (messages.Count is < 1 or > 50)
            throw LogsErrors.Constraint(messages.Count, "logEventMessages",
                messages.Count < 1 ? "Member must have length greater than or equal to 1" : "Member must have length less than or equal to 50");
        var matches = FilterPattern.Parse(pattern);
        return new()
        {
            ["matches"] = messages.Select((m, i) => (Message: m, Number: i + 1)).Where(x => matches(x.Message))
                .Select(x => (object?)new Dictionary<string, object?>
                {
                    ["eventNumber"] = (long)x.Number,
                    ["eventMessage"] = x.Message,
                    ["extractedValues"] = FilterPattern.ExtractedValues(pattern, x.Message).ToDictionary(v => v.Key, v => (object?)v.Value),
                }).ToList(),
        };
    }

    private Dictionary<string, object?> PutSubscriptionFilter(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = FilterName(input);
        var pattern = Pattern(input);
        var destination = input.RequireString("destinationArn");
        var distribution = input.GetString("distribution") ?? "ByLogStream";
        if (distribution is not ("Random" or "ByLogStream"))
            throw LogsErrors.Constraint(distribution, "distribution", "Member must satisfy enum value set: [Random, ByLogStream]");
        CheckDestination(destination);
        return _store.Transaction(() =>
        {
            var group = RequireGroup(ctx, input.RequireString("logGroupName"));
            var existing = group.SubscriptionFilters.FirstOrDefault(f => f.Name == name);
            if (existing is null && group.SubscriptionFilters.Count >= MaxSubscriptionFilters) throw LimitExceeded();
            var filter = new SubscriptionFilterRecord
            {
                Name = name,
                Pattern = pattern,
                DestinationArn = destination,
                RoleArn = input.GetString("roleArn"),
                Distribution = distribution,
                CreationTime = existing?.CreationTime ?? ctx.Now.ToUnixTimeMilliseconds(),
            };
            _store.PutGroup(ctx.Scope, group with { SubscriptionFilters = [.. group.SubscriptionFilters.Where(f => f.Name != name), filter] });
            return new Dictionary<string, object?>();
        });
    }

    private Dictionary<string, object?> DescribeSubscriptionFilters(RequestContext ctx, Dictionary<string, object?> input)
    {
        var limit = Limit(input, 50);
        var group = RequireGroup(ctx, input.RequireString("logGroupName"));
        var prefix = input.GetString("filterNamePrefix");
        var filters = group.SubscriptionFilters.OrderBy(f => f.Name, StringComparer.Ordinal)
            .Where(f => prefix is null || f.Name.StartsWith(prefix, StringComparison.Ordinal));
        var (page, next) = FilterPage(filters, f => f.Name, input.GetString("nextToken"), limit);
        return new()
        {
            ["subscriptionFilters"] = page.Select(f => (object?)new Dictionary<string, object?>
            {
                ["filterName"] = f.Name,
                ["logGroupName"] = group.Name,
                ["filterPattern"] = f.Pattern,
                ["destinationArn"] = f.DestinationArn,
                ["roleArn"] = f.RoleArn,
                ["distribution"] = f.Distribution,
                ["creationTime"] = f.CreationTime,
            }).ToList(),
            ["nextToken"] = next,
        };
    }

    private Dictionary<string, object?> DeleteSubscriptionFilter(RequestContext ctx, Dictionary<string, object?> input)
    {
        var name = input.RequireString("filterName");
        return _store.Transaction(() =>
        {
            var group = RequireGroup(ctx, input.RequireString("logGroupName"));
            if (group.SubscriptionFilters.All(f => f.Name != name))
                throw new AwsException("ResourceNotFoundException", "The specified subscription filter does not exist.");
            _store.PutGroup(ctx.Scope, group with { SubscriptionFilters = [.. group.SubscriptionFilters.Where(f => f.Name != name)] });
            return new Dictionary<string, object?>();
        });
    }

    /// <summary>Subscriptions go to Lambda, Kinesis, Firehose or a Logs destination; the destination's service must be one
    /// Nephele runs, else AWS's "could not deliver" answer.</summary>
    private void CheckDestination(string arn)
    {
        var service = Nephele.Core.Events.EventBus.ArnService(arn);
        if (service is not ("lambda" or "kinesis" or "firehose" or "logs"))
            throw LogsErrors.InvalidParameter($"Invalid destinationArn: {arn}. Subscription destinations are Lambda functions, Kinesis and Firehose streams and CloudWatch Logs destinations.");
        if (env.Events.TargetFor(arn) is not null) return;
        throw LogsErrors.InvalidParameter(service switch
        {
            "lambda" => "Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.",
            "kinesis" => "Could not deliver test message to specified Kinesis stream. Verify the stream exists and is in ACTIVE state.",
            "firehose" => "Could not deliver test message to specified Firehose stream. Check if the given Firehose stream is in ACTIVE state.",
            _ => $"Could not deliver test message to the destination {arn}.",
        });
    }

    private static string FilterName(Dictionary<string, object?> input)
    {
        var name = input.RequireString("filterName");
        if (name.Length is < 1 or > 512)
            throw LogsErrors.Constraint(name, "filterName", "Member must have length less than or equal to 512");
        if (name.Contains(':') || name.Contains('*'))
            throw LogsErrors.Constraint(name, "filterName", "Member must satisfy regular expression pattern: [^:*]*");
        return name;
    }

    /// <summary>The filterPattern, checked by parsing it (InvalidParameterException for a pattern AWS would refuse).</summary>
    private static string Pattern(Dictionary<string, object?> input)
    {
        var pattern = input.GetString("filterPattern") ?? throw LogsErrors.Constraint(null, "filterPattern", "Member must not be null");
        if (pattern.Length > 1024)
            throw LogsErrors.Constraint(pattern, "filterPattern", "Member must have length less than or equal to 1024");
        FilterPattern.Parse(pattern);
        return pattern;
    }

    private static MetricTransformationRecord Transformation(Dictionary<string, object?> t)
    {
        var dimensions = t.GetStringMap("dimensions");
        var defaultValue = t.GetDouble("defaultValue");
        if (dimensions.Count > 0 && defaultValue is not null)
            throw LogsErrors.InvalidParameter("You cannot specify both a default value and dimensions for a metric transformation.");
        if (dimensions.Count > 3)
            throw LogsErrors.InvalidParameter("A metric transformation can have at most 3 dimensions.");
        return new MetricTransformationRecord
        {
            MetricName = t.RequireString("metricName"),
            MetricNamespace = t.RequireString("metricNamespace"),
            MetricValue = t.RequireString("metricValue"),
            DefaultValue = defaultValue,
            Dimensions = dimensions.Count > 0 ? dimensions : null,
            Unit = t.GetString("unit"),
        };
    }

    // Filters come in key order (a group's name, then \u0001, which sorts below every character a name can hold, then
    // the filter's name); the token is the last key of the previous page.
    private static (List<T> Page, string? Next) FilterPage<T>(IEnumerable<T> ordered, Func<T, string> key, string? token, int limit)
    {
        var after = PageToken.Resume(token, LogsErrors.InvalidToken);
        var page = ordered.Where(x => after is null || string.CompareOrdinal(key(x), after) > 0).Take(limit + 1).ToList();
        if (page.Count <= limit) return (page, null);
        page.RemoveAt(limit);
        return (page, PageToken.After(key(page[^1])));
    }

    private static AwsException LimitExceeded() => new("LimitExceededException", "Resource limit exceeded.");
}
