using System.Net;
using System.Text;
using System.Text.Json;

namespace Nephele.Services.Tests.Lambda;

/// <summary>
/// Real response streaming: awslambda.streamifyResponse handlers answer through the Runtime API's streaming mode, and
/// InvokeWithResponseStream and RESPONSE_STREAM function URLs pass each chunk on as it arrives.
/// </summary>
public sealed class LambdaResponseStreamingTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    // Writes "first", then (after a pause that lets a reader see the first chunk alone) "second"; fails on request; behind a
    // function URL (the event has requestContext) it starts with the HTTP prelude.
    private const string Streamer = """
        exports.handler = awslambda.streamifyResponse(async (event, responseStream, context) => {
          if (event && event.requestContext) {
            responseStream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 201, headers: { 'x-streamed': 'yes', 'content-type': 'text/plain' } });
          }
          responseStream.write('first');
          await new Promise(r => setTimeout(r, 300));
          if (event && event.fail) throw new RangeError('stream broke');
          responseStream.write('second');
          responseStream.end();
        });
        """;

    private readonly LambdaClient _lambda = new(nephele.Http());

    private async Task<string> StreamingFunction()
    {
        var name = LambdaClient.Unique("streamer");
        await _lambda.CreateOk(name, "nodejs20.x", "index.handler", LambdaClient.Zip(("index.js", Streamer)));
        return name;
    }

    private async Task<List<(string Type, byte[] Payload)>> InvokeStream(string name, object payload)
    {
        using var http = nephele.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/2021-11-15/functions/{name}/response-streaming-invocations")
        {
            Content = new StringContent(JsonSerializer.Serialize(payload)),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("$LATEST", response.Headers.GetValues("X-Amz-Executed-Version").Single());
        return LambdaInvokeStreamTests.Messages(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Invoke_with_response_stream_sends_each_chunk_the_function_writes()
    {
        var events = await InvokeStream(await StreamingFunction(), new { });
        Assert.Equal(["PayloadChunk", "PayloadChunk", "InvokeComplete"], events.Select(e => e.Type));
        Assert.Equal(["first", "second"], events.Take(2).Select(e => Encoding.UTF8.GetString(e.Payload)));
        Assert.False(JsonDocument.Parse(events[^1].Payload).RootElement.TryGetProperty("ErrorCode", out _));
    }

    [Fact]
    public async Task An_error_after_streaming_started_ends_the_stream_with_the_error()
    {
        var events = await InvokeStream(await StreamingFunction(), new { fail = true });
        Assert.Equal("first", Encoding.UTF8.GetString(events[0].Payload));
        var complete = JsonDocument.Parse(events[^1].Payload).RootElement;
        Assert.Equal("InvokeComplete", events[^1].Type);
        Assert.Equal("RangeError", complete.GetProperty("ErrorCode").GetString());
        Assert.Equal("stream broke", complete.GetProperty("ErrorDetails").GetString());
    }

    [Fact]
    public async Task A_buffered_invoke_of_a_streaming_function_gets_the_whole_response()
    {
        var reply = await _lambda.Invoke(await StreamingFunction());
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("firstsecond", reply.Body);
    }

    [Fact]
    public async Task A_response_stream_function_url_streams_the_prelude_status_headers_and_body_chunks()
    {
        var name = await StreamingFunction();
        var created = await _lambda.Send(HttpMethod.Post, $"/2021-10-31/functions/{name}/url", new { AuthType = "NONE", InvokeMode = "RESPONSE_STREAM" });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        var url = new Uri(created.Json.GetProperty("FunctionUrl").GetString()!);
        using var http = nephele.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/stream") { Content = new StringContent("{}") };
        request.Headers.Host = url.Authority;
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("x-streamed").Single());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64];
        var first = Encoding.UTF8.GetString(buffer, 0, await body.ReadAsync(buffer));
        Assert.Equal("first", first);
        Assert.Equal("second", await new StreamReader(body).ReadToEndAsync());
    }
}
