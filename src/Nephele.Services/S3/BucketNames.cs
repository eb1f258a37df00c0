using System.Text.RegularExpressions;

namespace Nephele.Services.S3;

/// <summary>S3's general purpose bucket naming rules.</summary>
internal static partial class BucketNames
{
    public static bool IsValid(string name)
    {
        if (name.Length is < 3 or > 63 || !IsLetterOrDigit(name[0]) || !IsLetterOrDigit(name[^1]))
            return false;
        foreach (var c in name)
            if (!IsLetterOrDigit(c) && c is not ('-' or '.'))
                return false;
        return !name.Contains("..", StringComparison.Ordinal)
            && !IpAddressLike().IsMatch(name)
            && !name.StartsWith("xn--", StringComparison.Ordinal)
            && !name.StartsWith("sthree-", StringComparison.Ordinal)
            && !name.EndsWith("-s3alias", StringComparison.Ordinal)
            && !name.EndsWith("--ol-s3", StringComparison.Ordinal)
            && !name.EndsWith(".mrap", StringComparison.Ordinal)
            && !name.EndsWith("--x-s3", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$")]
    private static partial Regex IpAddressLike();

    private static bool IsLetterOrDigit(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';
}
