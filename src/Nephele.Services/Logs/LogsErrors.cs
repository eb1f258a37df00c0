using Nephele.Core.Protocols;

namespace Nephele.Services.Logs;

/// <summary>CloudWatch Logs' error codes and messages, as AWS words them.</summary>
internal static class LogsErrors
{
    public static AwsException GroupNotFound() => new("ResourceNotFoundException", "The specified log group does not exist.");

    public static AwsException StreamNotFound() => new("ResourceNotFoundException", "The specified log stream does not exist.");

    public static AwsException GroupExists() => new("ResourceAlreadyExistsException", "The specified log group already exists");

    public static AwsException StreamExists() => new("ResourceAlreadyExistsException", "The specified log stream already exists");

    public static AwsException InvalidParameter(string message) => new("InvalidParameterException", message);

    public static AwsException InvalidToken() => InvalidParameter("The specified nextToken is invalid.");

    /// <summary>AWS's generic validation wording for one member constraint.</summary>
    public static AwsException Constraint(object? value, string member, string constraint) =>
        AwsException.Validation($"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}");
}
