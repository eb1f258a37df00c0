using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace Nephele.Bench.Load;

/// <summary>One line naming an SDK failure: the SDK's outer message alone ("see inner exception") says nothing.</summary>
internal static class ErrorText
{
    public static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
            parts.Add(x switch
            {
                AmazonServiceException { ErrorCode.Length: > 0 } s => $"HTTP {(int)s.StatusCode} {s.ErrorCode}: {s.Message}",
                HttpErrorResponseException h => $"HTTP {(int)h.Response.StatusCode} with an error body the SDK could not read",
                _ => $"{x.GetType().Name}: {x.Message}",
            });
        return string.Join(" <- ", parts.Distinct());
    }
}
