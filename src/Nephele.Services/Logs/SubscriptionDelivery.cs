using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using Nephele.Core.Events;
using Nephele.Core.State;

namespace Nephele.Services.Logs;

/// <summary>One stored event as a subscription receives it.</summary>
internal readonly record struct SubscriptionEvent(string Id, long Timestamp, string Message);

/// <summary>
/// Hands newly stored events to a group's subscription filters: the matching events of one append become one
/// DATA_MESSAGE (gzip-compressed JSON, as AWS sends it) delivered through the event bus to the destination's service;
/// a Lambda function receives it as <c>{"awslogs":{"data":"&lt;base64&gt;"}}</c>. A destination that no longer exists
/// drops the message, as AWS does after its retries.
/// </summary>
internal static class SubscriptionDelivery
{
    private static readonly ConcurrentDictionary<string, Func<string, bool>> Patterns = new(StringComparer.Ordinal);

    public static void Send(EventBus bus, Scope scope, LogGroupRecord group, string stream, IReadOnlyList<SubscriptionEvent> events)
    {
        foreach (var filter in group.SubscriptionFilters)
        {
            var matches = Patterns.GetOrAdd(filter.Pattern, FilterPattern.Parse);
            var selected = events.Where(e => matches(e.Message)).ToList();
            if (selected.Count == 0) continue;
            var data = Convert.ToBase64String(Payload(scope, group.Name, stream, filter.Name, selected));
            bus.Deliver(new Delivery
            {
                TargetArn = filter.DestinationArn,
                Body = $$$"""{"awslogs":{"data":"{{{data}}}"}}""",
                SourceArn = LogsProvider.GroupArn(scope, group.Name),
            });
        }
    }

    /// <summary>The gzip-compressed DATA_MESSAGE AWS sends to subscription destinations.</summary>
    public static byte[] Payload(Scope scope, string group, string stream, string filter, IReadOnlyList<SubscriptionEvent> events)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var json = new Utf8JsonWriter(gzip))
        {
            json.WriteStartObject();
            json.WriteString("messageType", "DATA_MESSAGE");
            json.WriteString("owner", scope.AccountId);
            json.WriteString("logGroup", group);
            json.WriteString("logStream", stream);
            json.WriteStartArray("subscriptionFilters");
            json.WriteStringValue(filter);
            json.WriteEndArray();
            json.WriteStartArray("logEvents");
            foreach (var e in events)
            {
                json.WriteStartObject();
                json.WriteString("id", e.Id);
                json.WriteNumber("timestamp", e.Timestamp);
                json.WriteString("message", e.Message);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
