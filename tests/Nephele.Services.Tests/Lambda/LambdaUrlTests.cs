using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Nephele.Services.Tests.Lambda;

/// <summary>Function URL configs and the URLs themselves, served on &lt;id&gt;.lambda-url.&lt;region&gt;.localhost.</summary>
public sealed class LambdaUrlTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly LambdaClient _lambda = new(nephele.Http());
    private readonly HttpClient _http = nephele.Http();

    private const string EchoEvent = """
        exports.handler = async (event) => {
          if (event.rawPath === '/plain') return { plain: true };
          if (event.rawPath === '/fail') throw new Error('no');
          return { statusCode: 201, headers: { 'content-type': 'application/json', 'x-custom': 'yes' }, cookies: ['a=1', 'b=2; Path=/'],
                   body: JSON.stringify(event) };
        };
        """;

    private async Task<(string Name, string Url)> FunctionWithUrl(object config)
    {
        var name = LambdaClient.Unique("url");
        await _lambda.CreateOk(name, "nodejs20.x", "index.handler", LambdaClient.Zip(("index.js", EchoEvent)));
        var created = await _lambda.Send(HttpMethod.Post, $"/2021-10-31/functions/{name}/url", config);
        Assert.True(created.Status == HttpStatusCode.Created, created.Body);
        return (name, created.Json.GetProperty("FunctionUrl").GetString()!);
    }

    private async Task<HttpResponseMessage> Call(HttpMethod method, string url, string pathAndQuery, HttpContent? content = null, Action<HttpRequestMessage>? with = null)
    {
        var request = new HttpRequestMessage(method, pathAndQuery) { Content = content };
        request.Headers.Host = new Uri(url).Authority;
        with?.Invoke(request);
        return await _http.SendAsync(request);
    }

    [Fact]
    public async Task Url_configs_are_created_read_updated_listed_and_deleted()
    {
        var (name, url) = await FunctionWithUrl(new { AuthType = "NONE", Cors = new { AllowOrigins = new[] { "*" }, MaxAge = 60 } });
        Assert.Matches(@"^http://[a-z0-9]{32}\.lambda-url\.us-east-1\.localhost:\d+/$", url);
        var duplicate = await _lambda.Send(HttpMethod.Post, $"/2021-10-31/functions/{name}/url", new { AuthType = "NONE" });
        Assert.Equal("ResourceConflictException", duplicate.ErrorCode);
        var version = await _lambda.Send(HttpMethod.Post, $"/2021-10-31/functions/{name}/url?Qualifier=1", new { AuthType = "NONE" });
        Assert.Equal("ValidationException", version.ErrorCode);
        var badAuth = await _lambda.Send(HttpMethod.Post, $"/2021-10-31/functions/{name}/url?Qualifier=$LATEST", new { AuthType = "OPEN" });
        Assert.Equal("ValidationException", badAuth.ErrorCode);

        var got = await _lambda.Ok(HttpMethod.Get, $"/2021-10-31/functions/{name}/url");
        Assert.Equal((url, "NONE", "BUFFERED", 60), (got.GetProperty("FunctionUrl").GetString(), got.GetProperty("AuthType").GetString(),
            got.GetProperty("InvokeMode").GetString(), got.GetProperty("Cors").GetProperty("MaxAge").GetInt32()));
        var updated = await _lambda.Ok(HttpMethod.Put, $"/2021-10-31/functions/{name}/url", new { AuthType = "AWS_IAM", InvokeMode = "RESPONSE_STREAM" });
        Assert.Equal(("AWS_IAM", "RESPONSE_STREAM", url), (updated.GetProperty("AuthType").GetString(), updated.GetProperty("InvokeMode").GetString(),
            updated.GetProperty("FunctionUrl").GetString()));

        await _lambda.Ok(HttpMethod.Post, $"/2015-03-31/functions/{name}/aliases", new { Name = "live", FunctionVersion = "$LATEST" });
        await _lambda.Ok(HttpMethod.Post, $"/2021-10-31/functions/{name}/url?Qualifier=live", new { AuthType = "NONE" });
        var list = await _lambda.Ok(HttpMethod.Get, $"/2021-10-31/functions/{name}/urls");
        Assert.Equal([$"arn:aws:lambda:us-east-1:000000000000:function:{name}", $"arn:aws:lambda:us-east-1:000000000000:function:{name}:live"],
            list.GetProperty("FunctionUrlConfigs").EnumerateArray().Select(c => c.GetProperty("FunctionArn").GetString()));

        Assert.Equal(HttpStatusCode.NoContent, (await _lambda.Send(HttpMethod.Delete, $"/2021-10-31/functions/{name}/url")).Status);
        Assert.Equal("ResourceNotFoundException", (await _lambda.Send(HttpMethod.Get, $"/2021-10-31/functions/{name}/url")).ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Call(HttpMethod.Get, url, "/")).StatusCode);
    }

    [Fact]
    public async Task A_url_request_becomes_a_payload_2_event_and_the_answer_becomes_the_response()
    {
        var (_, url) = await FunctionWithUrl(new { AuthType = "NONE" });
        var response = await Call(HttpMethod.Post, url, "/some/path?a=1&a=2&b=x%20y", new StringContent("{\"hello\":1}", Encoding.UTF8, "application/json"),
            r => { r.Headers.Add("Cookie", "c1=v1; c2=v2"); r.Headers.Add("X-Mine", "mine"); r.Headers.UserAgent.ParseAdd("tests/1.0"); });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("x-custom").Single());
        Assert.Equal(["a=1", "b=2; Path=/"], response.Headers.GetValues("Set-Cookie"));
        var e = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("2.0", "$default", "/some/path", "a=1&a=2&b=x%20y"), (e.GetProperty("version").GetString(), e.GetProperty("routeKey").GetString(),
            e.GetProperty("rawPath").GetString(), e.GetProperty("rawQueryString").GetString()));
        Assert.Equal(["c1=v1", "c2=v2"], e.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("mine", e.GetProperty("headers").GetProperty("x-mine").GetString());
        Assert.Equal(("1,2", "x y"), (e.GetProperty("queryStringParameters").GetProperty("a").GetString(), e.GetProperty("queryStringParameters").GetProperty("b").GetString()));
        var context = e.GetProperty("requestContext");
        var urlId = new Uri(url).Host.Split('.')[0];
        Assert.Equal((urlId, urlId, "$default", "anonymous"), (context.GetProperty("apiId").GetString(), context.GetProperty("domainPrefix").GetString(),
            context.GetProperty("stage").GetString(), context.GetProperty("accountId").GetString()));
        Assert.Equal(("POST", "/some/path", "tests/1.0"), (context.GetProperty("http").GetProperty("method").GetString(),
            context.GetProperty("http").GetProperty("path").GetString(), context.GetProperty("http").GetProperty("userAgent").GetString()));
        Assert.True(context.GetProperty("timeEpoch").GetInt64() > 0);
        Assert.Equal(("{\"hello\":1}", false), (e.GetProperty("body").GetString(), e.GetProperty("isBase64Encoded").GetBoolean()));

        var binary = await Call(HttpMethod.Put, url, "/bin", new ByteArrayContent([1, 2, 3]));
        var b = JsonDocument.Parse(await binary.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("AQID", true), (b.GetProperty("body").GetString(), b.GetProperty("isBase64Encoded").GetBoolean()));

        var plain = await Call(HttpMethod.Get, url, "/plain");
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("application/json", plain.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"plain\":true}", await plain.Content.ReadAsStringAsync());

        var failed = await Call(HttpMethod.Delete, url, "/fail");
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
    }

    [Fact]
    public async Task Cors_preflights_are_answered_from_the_config_without_invoking()
    {
        var (_, url) = await FunctionWithUrl(new
        {
            AuthType = "NONE",
            Cors = new
            {
                AllowOrigins = new[] { "https://app.example" },
                AllowMethods = new[] { "GET", "POST" },
                AllowHeaders = new[] { "x-mine" },
                ExposeHeaders = new[] { "x-custom" },
                MaxAge = 300,
                AllowCredentials = true,
            },
        });
        var preflight = await Call(HttpMethod.Options, url, "/anything", with: r =>
        {
            r.Headers.Add("Origin", "https://app.example");
            r.Headers.Add("Access-Control-Request-Method", "POST");
        });
        Assert.Equal(HttpStatusCode.OK, preflight.StatusCode);
        Assert.Equal("https://app.example", preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("GET,POST", preflight.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Equal("300", preflight.Headers.GetValues("Access-Control-Max-Age").Single());
        Assert.Equal("true", preflight.Headers.GetValues("Access-Control-Allow-Credentials").Single());

        var other = await Call(HttpMethod.Options, url, "/anything", with: r =>
        {
            r.Headers.Add("Origin", "https://evil.example");
            r.Headers.Add("Access-Control-Request-Method", "POST");
        });
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));

        var actual = await Call(HttpMethod.Get, url, "/x", with: r => r.Headers.Add("Origin", "https://app.example"));
        Assert.Equal("https://app.example", actual.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("x-custom", actual.Headers.GetValues("Access-Control-Expose-Headers").Single());
    }

    [Fact]
    public async Task Aws_iam_urls_need_a_valid_signature()
    {
        var (_, url) = await FunctionWithUrl(new { AuthType = "AWS_IAM" });
        Assert.Equal(HttpStatusCode.Forbidden, (await Call(HttpMethod.Get, url, "/signed")).StatusCode);
        var host = new Uri(url).Authority;
        var badSignature = await Call(HttpMethod.Get, url, "/signed", with: r => Sign(r, host, "wrong"));
        Assert.Equal(HttpStatusCode.Forbidden, badSignature.StatusCode);

        var signed = await Call(HttpMethod.Get, url, "/signed", with: r => Sign(r, host, "test"));
        Assert.Equal(HttpStatusCode.Created, signed.StatusCode);
        var iam = JsonDocument.Parse(await signed.Content.ReadAsStringAsync()).RootElement.GetProperty("requestContext");
        Assert.Equal("000000000000", iam.GetProperty("accountId").GetString());
        Assert.Equal("test", iam.GetProperty("authorizer").GetProperty("iam").GetProperty("accessKey").GetString());
    }

    /// <summary>SigV4 for a GET without query or body, as `awscurl --service lambda` sends it.</summary>
    private static void Sign(HttpRequestMessage request, string host, string secret)
    {
        var now = DateTime.UtcNow;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData([]));
        request.Headers.Add("x-amz-date", amzDate);
        request.Headers.Add("x-amz-content-sha256", payloadHash);
        var canonical = $"GET\n{request.RequestUri!.OriginalString}\n\nhost:{host}\nx-amz-content-sha256:{payloadHash}\nx-amz-date:{amzDate}\n\nhost;x-amz-content-sha256;x-amz-date\n{payloadHash}";
        var scope = $"{date}/us-east-1/lambda/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + secret);
        foreach (var part in new[] { date, "us-east-1", "lambda", "aws4_request" }) key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential=test/{scope}, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={signature}");
    }
}
