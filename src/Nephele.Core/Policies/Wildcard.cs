namespace Nephele.Core.Policies;

/// <summary>IAM's wildcards: '*' matches any run of characters (also none, also ':' and '/'), '?' exactly one.</summary>
public static class Wildcard
{
    public static bool Matches(string pattern, string value, bool ignoreCase = false)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(value);
        // Iterative glob with backtracking to the last '*': linear for the patterns policies use.
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || Same(pattern[p], value[v], ignoreCase)))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    /// <summary>A pattern character against a value character; U+0001 and U+0002 are the literal '*' and '?' that the
    /// ${*} and ${?} policy variables stand for.</summary>
    private static bool Same(char a, char b, bool ignoreCase) => a switch
    {
        LiteralStar => b == '*',
        LiteralQuestionMark => b == '?',
        _ => a == b || ignoreCase && char.ToLowerInvariant(a) == char.ToLowerInvariant(b),
    };

    internal const char LiteralStar = '\u0001';
    internal const char LiteralQuestionMark = '\u0002';
}
