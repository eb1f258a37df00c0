using System.Text.Json.Nodes;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Sqs;

/// <summary>AddPermission/RemovePermission: labelled statements in the queue's Policy attribute, as AWS keeps them.</summary>
public sealed partial class SqsProvider
{
    private static readonly HashSet<string> ShareableActions = new(StringComparer.Ordinal)
    {
        "*", "ChangeMessageVisibility", "DeleteMessage", "GetQueueAttributes", "GetQueueUrl",
        "ListDeadLetterSourceQueues", "PurgeQueue", "ReceiveMessage", "SendMessage",
    };

    private Dictionary<string, object?> AddPermission(RequestContext ctx, Dictionary<string, object?> input)
    {
        var queue = ResolveQueue(ctx, input);
        var label = input.GetString("Label") ?? throw SqsErrors.MissingParameter("Label");
        var accounts = input.GetStrings("AWSAccountIds");
        var actions = input.GetStrings("Actions");
        if (actions.Count == 0) throw SqsErrors.MissingParameter("Actions");
        if (accounts.Count == 0)
            throw SqsErrors.InvalidParameterValue("Value [] for parameter PrincipalId is invalid. Reason: Unable to verify.");
        if (actions.Count > 7) throw new AwsException("OverLimit", $"{actions.Count} Actions were found, maximum allowed is 7.", 403);
        if (actions.FirstOrDefault(a => !ShareableActions.Contains(a)) is { } bad)
            throw SqsErrors.InvalidParameterValue($"Value SQS:{bad} for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.");

        UpdatePolicy(ctx, queue, statements =>
        {
            if (statements.Any(s => s?["Sid"]?.GetValue<string>() == label))
                throw SqsErrors.InvalidParameterValue($"Value {label} for parameter Label is invalid. Reason: Already exists.");
            statements.Add((JsonNode)new JsonObject
            {
                ["Sid"] = label,
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["AWS"] = OneOrMany(accounts.Select(a => $"arn:aws:iam::{a}:root")) },
                ["Action"] = OneOrMany(actions.Select(a => "SQS:" + a)),
                ["Resource"] = queue.Arn,
            });
        });
        return [];
    }

    private Dictionary<string, object?> RemovePermission(RequestContext ctx, Dictionary<string, object?> input)
    {
        var queue = ResolveQueue(ctx, input);
        var label = input.GetString("Label") ?? throw SqsErrors.MissingParameter("Label");
        UpdatePolicy(ctx, queue, statements =>
        {
            var match = statements.FirstOrDefault(s => s?["Sid"]?.GetValue<string>() == label)
                ?? throw SqsErrors.InvalidParameterValue($"Value {label} for parameter Label is invalid. Reason: can't find label on existing policy.");
            statements.Remove(match);
        });
        return [];
    }

    /// <summary>Edits the statements of the queue's policy (the empty default AWS starts from when it has none) atomically.</summary>
    private void UpdatePolicy(RequestContext ctx, QueueRef queue, Action<JsonArray> edit) => _state.Transaction(() =>
    {
        var current = _queues.Get(queue.Scope, queue.Name, SqsJsonContext.Default.QueueRecord) ?? throw SqsErrors.QueueDoesNotExist();
        var policy = current.Attributes.GetValueOrDefault("Policy") is { Length: > 0 } text && JsonNode.Parse(text) is JsonObject stored
            && stored["Statement"] is JsonArray
            ? stored
            : new JsonObject { ["Version"] = "2012-10-17", ["Id"] = queue.Arn + "/SQSDefaultPolicy", ["Statement"] = new JsonArray() };
        var statements = policy["Statement"]!.AsArray();
        edit(statements);
        // A policy left without statements is no policy at all.
        if (statements.Count == 0) current.Attributes.Remove("Policy");
        else current.Attributes["Policy"] = policy.ToJsonString();
        current.LastModifiedTimestamp = ctx.Now.ToUnixTimeSeconds();
        SaveQueue(queue with { Queue = current });
        return 0;
    });

    private static JsonNode OneOrMany(IEnumerable<string> values)
    {
        var list = values.ToList();
        return list.Count == 1 ? JsonValue.Create(list[0]) : new JsonArray(list.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
    }
}
