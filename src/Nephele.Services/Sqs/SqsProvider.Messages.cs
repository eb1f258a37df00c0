using System.Text;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Sqs;

public sealed partial class SqsProvider
{
    private static string MessagePrefix(string queueName) => queueName + "/";

    private Dictionary<string, object?> SendMessage(RequestContext ctx, Dictionary<string, object?> input)
    {
        var queue = ResolveQueue(ctx, input);
        var (key, message) = NewMessage(ctx, queue, input);
        var stored = queue.Queue.IsFifo ? _state.Transaction(() => Store(queue, key, message, Millis(ctx))) : Store(queue, key, message, 0);
        _signals.Pulse(queue.SignalKey);
        return SendResult(stored);
    }

    private Dictionary<string, object?> SendMessageBatch(RequestContext ctx, Dictionary<string, object?> input)
    {
        var queue = ResolveQueue(ctx, input);
        var entries = BatchEntries(input, "SendMessageBatchRequestEntry");
        var total = entries.Sum(e => Encoding.UTF8.GetByteCount(e.GetString("MessageBody") ?? "") + AttributesSize(e));
        if (total > QueueAttributes.MaxMessageBytes)
            throw new AwsException("BatchRequestTooLong", $"Batch requests cannot be longer than {QueueAttributes.MaxMessageBytes} bytes. You have sent {total} bytes.");

        var successful = new List<object?>();
        var failed = new List<object?>();
        var accepted = new List<(string Id, string Key, MessageRecord Message)>();
        foreach (var entry in entries)
        {
            try
            {
                var (key, message) = NewMessage(ctx, queue, entry);
                accepted.Add((entry.GetString("Id")!, key, message));
            }
            catch (AwsException e)
            {
                failed.Add(BatchError(entry.GetString("Id"), e));
            }
        }
        // One transaction: the accepted entries become durable together before the answer.
        var now = Millis(ctx);
        _state.Transaction(() =>
        {
            foreach (var (id, key, message) in accepted)
            {
                var result = SendResult(Store(queue, key, message, now));
                result["Id"] = id;
                successful.Add(result);
            }
            return 0;
        });
        if (accepted.Count > 0) _signals.Pulse(queue.SignalKey);
        return new() { ["Successful"] = successful, ["Failed"] = failed };
    }

    private static Dictionary<string, object?> SendResult(MessageRecord message)
    {
        var result = new Dictionary<string, object?> { ["MessageId"] = message.MessageId, ["MD5OfMessageBody"] = message.Md5OfBody };
        if (message.Md5OfMessageAttributes is { } md5) result["MD5OfMessageAttributes"] = md5;
        if (message.Md5OfMessageSystemAttributes is { } systemMd5) result["MD5OfMessageSystemAttributes"] = systemMd5;
        if (message.SequenceNumber is { } sequence) result["SequenceNumber"] = sequence;
        return result;
    }

    private static Dictionary<string, object?> BatchError(string? id, AwsException e) => new()
    {
        ["Id"] = id,
        ["SenderFault"] = e.SenderFault,
        ["Code"] = e.Code,
        ["Message"] = e.Message,
    };

    /// <summary>Validates a send and builds its row: key in send order under the queue, visible after its delay.</summary>
    private static (string Key, MessageRecord Message) NewMessage(RequestContext ctx, QueueRef queue, Dictionary<string, object?> input)
    {
        var body = input.GetString("MessageBody");
        if (string.IsNullOrEmpty(body)) throw SqsErrors.MissingParameter("MessageBody");
        var attributes = ParseMessageAttributes(input, "MessageAttributes");
        var system = ParseMessageAttributes(input, "MessageSystemAttributes");
        if (system.FirstOrDefault(a => a.Name != "AWSTraceHeader" || a.DataType != "String") is { } badSystem)
            throw SqsErrors.InvalidParameterValue($"Message system attribute name '{badSystem.Name}' is invalid.");
        var size = Encoding.UTF8.GetByteCount(body) + AttributesSize(input);
        var maxSize = QueueAttributes.Number(queue.Queue, "MaximumMessageSize");
        if (size > maxSize)
            throw SqsErrors.InvalidParameterValue($"One or more parameters are invalid. Reason: Message must be shorter than {maxSize} bytes.");
        if (FirstInvalidCharacter(body) is { } bad)
            throw new AwsException("InvalidMessageContents", $"Invalid binary character '#x{bad:X}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF");
        var delay = input.GetLong("DelaySeconds") ?? QueueAttributes.Number(queue.Queue, "DelaySeconds");
        if (delay is < 0 or > 900) throw SqsErrors.OutOfRange("DelaySeconds", delay, 0, 900);
        var (groupId, deduplicationId) = FifoIds(queue, input, body);

        var now = Millis(ctx);
        var id = Guid.NewGuid().ToString();
        var message = new MessageRecord
        {
            MessageId = id,
            Body = body,
            Md5OfBody = SqsMd5.OfBody(body),
            Md5OfMessageAttributes = SqsMd5.OfAttributes(attributes),
            MessageAttributes = attributes,
            AwsTraceHeader = system.FirstOrDefault()?.StringValue,
            Md5OfMessageSystemAttributes = SqsMd5.OfAttributes(system),
            SenderId = ctx.Caller.UserId is { Length: > 0 } user ? user : ctx.AccountId,
            MessageGroupId = groupId,
            MessageDeduplicationId = deduplicationId,
            SentMillis = now,
            VisibleAtMillis = now + delay * 1000,
        };
        // Time first so a scan meets messages oldest first; the id keeps same-millisecond sends apart.
        return ($"{MessagePrefix(queue.Name)}{now:D15}-{id}", message);
    }

    private static List<MessageAttribute> ParseMessageAttributes(Dictionary<string, object?> input, string member)
    {
        var map = input.GetStruct(member);
        if (map is null || map.Count == 0) return [];
        if (map.Count > 10)
            throw SqsErrors.InvalidParameterValue($"Number of message attributes [{map.Count}] exceeds the allowed maximum [10].");
        var result = new List<MessageAttribute>();
        foreach (var (name, raw) in map)
        {
            if (raw is not Dictionary<string, object?> value) continue;
            if (member == "MessageAttributes"
                && (name.Length > 256 || name.StartsWith("AWS.", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Amazon.", StringComparison.OrdinalIgnoreCase)))
                throw SqsErrors.InvalidParameterValue($"Message attribute name '{name}' is invalid.");
            var type = value.GetString("DataType");
            if (string.IsNullOrEmpty(type))
                throw SqsErrors.InvalidParameterValue($"The message attribute '{name}' must contain non-empty message attribute type.");
            var baseType = type.Split('.', 2)[0];
            if (baseType is "Binary")
            {
                var binary = value.GetBlob("BinaryValue")
                    ?? throw SqsErrors.InvalidParameterValue($"The message attribute '{name}' with type 'Binary' must use field 'Binary'.");
                result.Add(new MessageAttribute { Name = name, DataType = type, BinaryValue = binary });
            }
            else if (baseType is "String" or "Number")
            {
                var text = value.GetString("StringValue");
                if (string.IsNullOrEmpty(text))
                    throw SqsErrors.InvalidParameterValue($"The message attribute '{name}' must contain non-empty message attribute value for message attribute type '{baseType}'.");
                result.Add(new MessageAttribute { Name = name, DataType = type, StringValue = text });
            }
            else
            {
                throw SqsErrors.InvalidParameterValue($"The type of message (user) attribute '{name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.");
            }
        }
        return result;
    }

    /// <summary>What attributes count towards the message size limit: name, type and value bytes.</summary>
    private static int AttributesSize(Dictionary<string, object?> input)
    {
        if (input.GetStruct("MessageAttributes") is not { } map) return 0;
        var size = 0;
        foreach (var (name, raw) in map)
        {
            if (raw is not Dictionary<string, object?> value) continue;
            size += Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value.GetString("DataType") ?? "")
                + Encoding.UTF8.GetByteCount(value.GetString("StringValue") ?? "") + (value.GetBlob("BinaryValue")?.Length ?? 0);
        }
        return size;
    }

    private static int? FirstInvalidCharacter(string body)
    {
        foreach (var rune in body.EnumerateRunes())
        {
            var c = rune.Value;
            if (!(c is 0x9 or 0xA or 0xD || c is >= 0x20 and <= 0xD7FF || c is >= 0xE000 and <= 0xFFFD || c >= 0x10000)) return c;
        }
        return null;
    }

    /// <summary>A batch's entries after AWS's whole-request checks: 1 to 10 entries with distinct, well-formed ids.</summary>
    private static List<Dictionary<string, object?>> BatchEntries(Dictionary<string, object?> input, string entryShape)
    {
        var entries = input.GetList("Entries")?.OfType<Dictionary<string, object?>>().ToList() ?? [];
        if (entries.Count == 0)
            throw new AwsException("EmptyBatchRequest", $"There should be at least one {entryShape} in the request.");
        if (entries.Count > 10)
            throw new AwsException("TooManyEntriesInBatchRequest", $"Maximum number of entries per request are 10. You have sent {entries.Count}.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var id = entry.GetString("Id") ?? "";
            if (id.Length is 0 or > 80 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                throw new AwsException("InvalidBatchEntryId", "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.");
            if (!seen.Add(id)) throw new AwsException("BatchEntryIdsNotDistinct", $"Id {id} repeated.");
        }
        return entries;
    }
}
