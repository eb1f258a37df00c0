using Nephele.Core.Protocols;

namespace Nephele.Services.Sts;

/// <summary>STS's input constraints, with its error code (ValidationError) and message shapes.</summary>
internal static class StsValidation
{
    public static AwsException Error(string message) => new("ValidationError", message, 400);

    public static void Length(string member, string value, int min, int max)
    {
        if (value.Length < min)
            throw Error($"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must have length greater than or equal to {min}");
        if (value.Length > max)
            throw Error($"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must have length less than or equal to {max}");
    }

    public static void Arn(string member, string value)
    {
        Length(member, value, 20, 2048);
        if (!value.StartsWith("arn:", StringComparison.Ordinal) || value.Split(':').Length < 6)
            throw Error($"{value} is invalid");
    }

    public static void SessionName(string member, string value, int maxLength = 64)
    {
        Length(member, value, 2, maxLength);
        foreach (var c in value)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '+' or '=' or ',' or '.' or '@' or '-'))
                throw Error($"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
    }

    public static int Duration(int seconds, int max)
    {
        if (seconds < 900)
            throw Error($"1 validation error detected: Value '{seconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
        if (seconds > max)
            throw Error($"1 validation error detected: Value '{seconds}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to {max}");
        return seconds;
    }
}
