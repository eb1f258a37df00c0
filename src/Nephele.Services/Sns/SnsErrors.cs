using Nephele.Core.Protocols;

namespace Nephele.Services.Sns;

/// <summary>SNS's error codes and messages, as AWS words them.</summary>
internal static class SnsErrors
{
    public static AwsException InvalidParameter(string message) => new("InvalidParameter", message);

    /// <summary>The InvalidParameterValueException shape, whose wire code is ParameterValueInvalid.</summary>
    public static AwsException ParameterValueInvalid(string message) => new("ParameterValueInvalid", message);

    public static AwsException TopicNotFound() => new("NotFound", "Topic does not exist", 404);

    public static AwsException SubscriptionNotFound() => new("NotFound", "Subscription does not exist", 404);

    public static AwsException NotFound(string message) => new("NotFound", message, 404);

    public static AwsException ResourceNotFound() => new("ResourceNotFound", "Resource does not exist", 404);
}
