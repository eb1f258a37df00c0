using Nephele.Core.Protocols;

namespace Nephele.Services.DynamoDb.Expressions;

/// <summary>DynamoDB's wording for invalid expressions: "Invalid {ExpressionName}: {detail}".</summary>
internal static class ExpressionErrors
{
    public static AwsException Invalid(string expressionName, string detail) =>
        AwsException.Validation($"Invalid {expressionName}: {detail}");

    /// <summary>A syntax error at a token; "near" is the text around it (the previous token through the next one).</summary>
    public static AwsException Syntax(string expressionName, string text, string token, int nearStart, int nearEnd) =>
        Invalid(expressionName, $"Syntax error; token: \"{token}\", near: \"{text[Math.Max(0, nearStart)..Math.Min(text.Length, nearEnd)]}\"");

    public static AwsException ReservedWord(string expressionName, string word) =>
        Invalid(expressionName, $"Attribute name is a reserved keyword; reserved keyword: {word}");

    public static AwsException IncorrectOperand(string expressionName, string function, string type) =>
        Invalid(expressionName, $"Incorrect operand type for operator or function; operator or function: {function}, operand type: {type}");
}
