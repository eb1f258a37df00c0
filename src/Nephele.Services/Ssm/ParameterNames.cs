using Nephele.Core.Protocols;

namespace Nephele.Services.Ssm;

/// <summary>Parameter name, path, selector and label rules, with AWS's error codes and messages.</summary>
internal static class ParameterNames
{
    private const string InvalidName = "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). "
        + "If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_";

    public static void ValidateForWrite(string name)
    {
        var bare = name.TrimStart('/');
        if (name.Length > 1011 || bare.Length == 0 || !bare.All(IsNameChar)
            || bare.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || bare.StartsWith("ssm", StringComparison.OrdinalIgnoreCase)
            || name.Contains("//", StringComparison.Ordinal) || name.EndsWith('/'))
            throw AwsException.Validation(InvalidName);
        if (name.Contains('/') && !name.StartsWith('/'))
            throw AwsException.Validation("Parameter name must be a fully qualified name.");
        // The leading slash does not count as a level.
        if (bare.Count(c => c == '/') + 1 > 15)
            throw new AwsException("HierarchyLevelLimitExceededException",
                "A hierarchy can have a maximum of 15 levels. For more information, see http://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-working.html");
    }

    public static void ValidatePath(string path)
    {
        if (!path.StartsWith('/') || path.Length > 2048 || !path.All(c => IsNameChar(c)))
            throw AwsException.Validation("The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\". "
                + "It can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). "
                + "Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol \"/\". Valid example: /get/parameters2-/by1./path0_.");
    }

    /// <summary>Splits a name or ARN with an optional <c>:selector</c> (a version number or a label).</summary>
    public static (string Name, string? Selector) Split(string reference)
    {
        var arn = reference.IndexOf(":parameter/", StringComparison.Ordinal);
        if (reference.StartsWith("arn:", StringComparison.Ordinal) && arn >= 0)
        {
            // The ARN drops a path's leading slash: parameter/app/db names "/app/db", parameter/flag names "flag".
            var (resource, selector) = SplitSelector(reference[(arn + ":parameter/".Length)..]);
            return (resource.Contains('/') ? "/" + resource : resource, selector);
        }
        return SplitSelector(reference);
    }

    private static (string, string?) SplitSelector(string reference)
    {
        var colon = reference.LastIndexOf(':');
        return colon < 0 ? (reference, null) : (reference[..colon], reference[(colon + 1)..]);
    }

    /// <summary>AWS's label rule: up to 100 chars of letters, digits, '.', '-', '_'; not starting with a digit, "aws" or "ssm".</summary>
    public static bool IsValidLabel(string label) =>
        label.Length is > 0 and <= 100 && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')
        && !char.IsAsciiDigit(label[0])
        && !label.StartsWith("aws", StringComparison.OrdinalIgnoreCase) && !label.StartsWith("ssm", StringComparison.OrdinalIgnoreCase);

    public static string Arn(string region, string account, string name) =>
        $"arn:aws:ssm:{region}:{account}:parameter/{name.TrimStart('/')}";

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '/';
}
