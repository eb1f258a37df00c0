using System.Net;

namespace Nephele.Services.Tests.S3;

/// <summary>
/// Raw requests for what the AWS SDK for .NET hides: it turns some 404s (NoSuchBucketPolicy,
/// NoSuchLifecycleConfiguration, NoSuchWebsiteConfiguration, ...) into empty responses, so the error is checked on the wire.
/// </summary>
internal static class S3Wire
{
    public static async Task AssertErrorAsync(NepheleFixture nephele, string pathAndQuery, HttpStatusCode status, string code)
    {
        using var http = nephele.Http();
        var response = await http.GetAsync(pathAndQuery);
        Assert.Equal(status, response.StatusCode);
        Assert.Contains($"<Code>{code}</Code>", await response.Content.ReadAsStringAsync());
    }
}
