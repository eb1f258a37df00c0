using Nephele.Core.Protocols;

namespace Nephele.Services.Lambda;

/// <summary>Lambda's error codes and messages, as AWS words them.</summary>
internal static class LambdaErrors
{
    public static AwsException NotFound(string arn) => new("ResourceNotFoundException", $"Function not found: {arn}", 404, fields: User);

    public static AwsException ResourceNotFound(string message) => new("ResourceNotFoundException", message, 404, fields: User);

    public static AwsException Conflict(string message) => new("ResourceConflictException", message, 409, fields: User);

    public static AwsException InvalidParameter(string message) => new("InvalidParameterValueException", message, fields: User);

    public static AwsException PreconditionFailed() => new("PreconditionFailedException",
        "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id",
        412, fields: User);

    public static AwsException Constraint(object? value, string member, string constraint) =>
        AwsException.Validation($"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}");

    public static AwsException TooManyRequests(string reason) => new("TooManyRequestsException", "Rate Exceeded.", 429,
        fields: new() { ["Type"] = "User", ["Reason"] = reason, ["retryAfterSeconds"] = "1" });

    private static Dictionary<string, object?> User => new() { ["Type"] = "User" };
}
