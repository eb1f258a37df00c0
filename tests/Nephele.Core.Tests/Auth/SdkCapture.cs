using System.Net;
using System.Text;
using Amazon.Runtime;
using Nephele.Core.Protocols;

namespace Nephele.Core.Tests.Auth;

/// <summary>
/// Lets a real AWS SDK for .NET client sign and send requests into memory: its HttpClient's handler records each
/// request exactly as it would go on the wire and answers with a canned response, so tests can verify real SDK
/// signatures without a server.
/// </summary>
public sealed class SdkCapture : HttpClientFactory
{
    private readonly List<AwsRequest> _requests = [];

    /// <summary>The body of every response; enough for the operations the tests call.</summary>
    public string ResponseBody { get; set; } = "";
    public string ResponseContentType { get; set; } = "application/xml";

    public IReadOnlyList<AwsRequest> Requests => _requests;

    public AwsRequest Last => _requests[^1];

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Handler(this));

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;

    /// <summary>Runs a client call, ignoring how the SDK takes the canned response: the request is what is under test.</summary>
    public async Task<AwsRequest> CaptureAsync(Func<Task> call)
    {
        var before = _requests.Count;
        try { await call(); }
        catch (Exception) { } // the canned response may not parse as this operation's output; irrelevant here
        Assert.True(_requests.Count > before, "the SDK sent no request");
        return _requests[^1];
    }

    /// <summary>The request a URL (e.g. a presigned one) makes when fetched with no extra headers.</summary>
    public static AwsRequest FromUrl(string url, string method = "GET")
    {
        var uri = new Uri(url);
        var headers = new HeaderMap { { "Host", uri.Authority } };
        return AwsRequest.FromBytes(method, Target(url), [], headers, uri.Authority);
    }

    /// <summary>The request target exactly as written in the URL: the SDK sends its own encoding, unaltered.</summary>
    private static string Target(string url)
    {
        var slash = url.IndexOf('/', url.IndexOf("://", StringComparison.Ordinal) + 3);
        return slash < 0 ? "/" : url[slash..];
    }

    private sealed class Handler(SdkCapture owner) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
        {
            var uri = message.RequestUri!;
            var headers = new HeaderMap();
            if (!message.Headers.NonValidated.Contains("Host")) headers.Add("Host", uri.Authority);
            foreach (var (name, values) in message.Headers.NonValidated) headers.Add(name, string.Join(", ", values));
            var body = Array.Empty<byte>();
            if (message.Content is not null)
            {
                body = await message.Content.ReadAsByteArrayAsync(cancellationToken);
                foreach (var (name, values) in message.Content.Headers.NonValidated) headers.Add(name, string.Join(", ", values));
            }
            owner._requests.Add(AwsRequest.FromBytes(message.Method.Method,
                Target(uri.OriginalString), body, headers, uri.Authority));

            var response = new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(owner.ResponseBody, Encoding.UTF8, owner.ResponseContentType),
                RequestMessage = message,
            };
            response.Headers.TryAddWithoutValidation("ETag", "\"5d41402abc4b2a76b9719d911017c592\"");
            response.Headers.TryAddWithoutValidation("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000");
            return response;
        }
    }
}
