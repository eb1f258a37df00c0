using Nephele.Core.Protocols;

namespace Nephele.Services.DynamoDb.PartiQl;

/// <summary>DynamoDB's wording for statements it refuses.</summary>
internal static class PartiQlErrors
{
    public const string IncompleteKey = "Where clause does not contain a mandatory equality on all key attributes";

    /// <summary>"Statement wasn't well formed, can't be processed: {detail}" (detail may be empty, as AWS leaves it for some errors).</summary>
    public static AwsException NotWellFormed(string detail) =>
        AwsException.Validation($"Statement wasn't well formed, can't be processed: {detail}");

    public static AwsException Unsupported(string what) => AwsException.Validation($"Unsupported operation: {what}");

    public static AwsException DuplicateItem() => new("DuplicateItemException", "Duplicate primary key exists in table");

    public static AwsException IncorrectOperand(string op, string type) =>
        AwsException.Validation($"Incorrect operand type for operator or function; operator or function: {op}, operand type: {type}");
}
