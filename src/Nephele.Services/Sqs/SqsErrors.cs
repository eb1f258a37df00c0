using Nephele.Core.Protocols;

namespace Nephele.Services.Sqs;

/// <summary>SQS's error codes and messages, as AWS words them.</summary>
internal static class SqsErrors
{
    public static AwsException QueueDoesNotExist() =>
        new("QueueDoesNotExist", "The specified queue does not exist.");

    public static AwsException InvalidParameterValue(string message) => new("InvalidParameterValue", message);

    public static AwsException MissingParameter(string name) =>
        new("MissingParameter", $"The request must contain the parameter {name}.");

    public static AwsException InvalidAttributeName(string name) =>
        new("InvalidAttributeName", $"Unknown Attribute {name}.");

    public static AwsException InvalidAttributeValue(string name, string? reason = null) =>
        new("InvalidAttributeValue", $"Invalid value for the parameter {name}." + (reason is null ? "" : $" Reason: {reason}"));

    public static AwsException ReceiptHandleIsInvalid(string handle) =>
        new("ReceiptHandleIsInvalid", $"The input receipt handle \"{handle}\" is not a valid receipt handle.");

    public static AwsException OutOfRange(string parameter, long value, long min, long max) =>
        InvalidParameterValue($"Value {value} for parameter {parameter} is invalid. Reason: Must be between {min} and {max}, if provided.");
}
