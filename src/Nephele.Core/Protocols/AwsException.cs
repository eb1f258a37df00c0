namespace Nephele.Core.Protocols;

/// <summary>
/// The one way a handler reports an AWS error. Caught once by the gateway and rendered per protocol.
/// <paramref name="fields"/> carries extra members of the modeled error shape (e.g. CancellationReasons).
/// </summary>
public sealed class AwsException(string code, string message, int httpStatus = 400, bool senderFault = true,
    Dictionary<string, object?>? fields = null) : Exception(message)
{
    public string Code { get; } = code;
    public int HttpStatus { get; } = httpStatus;
    public bool SenderFault { get; } = senderFault;
    public Dictionary<string, object?> Fields { get; } = fields ?? [];

    /// <summary>Extra response headers, e.g. S3's x-amz-delete-marker on a 404.</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public override string ToString() => $"{Code} ({HttpStatus}): {Message}";

    public static AwsException NotImplemented(string service, string operation) =>
        new("NotImplemented", $"The operation {operation} of service {service} is not implemented by Nephele yet.", 501, false);

    public static AwsException Validation(string message) => new("ValidationException", message);

    /// <summary>What a failure that is not an AwsException becomes: no details of ours reach the client.</summary>
    public static AwsException InternalFailure() => new("InternalFailure", "The request processing has failed because of an unknown error.", 500, false);
}
