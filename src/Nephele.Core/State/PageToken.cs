using System.Text;
using Nephele.Core.Protocols;

namespace Nephele.Core.State;

/// <summary>
/// The opaque NextToken of a listing in key order: the last key of the page, so the next page starts
/// after it. Each service words its own error for a token it did not issue.
/// </summary>
public static class PageToken
{
    public static string After(string lastKey) => Convert.ToBase64String(Encoding.UTF8.GetBytes(lastKey));

    /// <summary>The key to resume after, or null for the first page.</summary>
    public static string? Resume(string? token, Func<AwsException> invalid)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw invalid();
        }
    }
}
