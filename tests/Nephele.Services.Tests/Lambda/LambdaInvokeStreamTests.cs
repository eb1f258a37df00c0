using System.Buffers.Binary;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Nephele.Services.Tests.Lambda;

/// <summary>InvokeWithResponseStream: PayloadChunk and InvokeComplete events in the event stream encoding.</summary>
public sealed class LambdaInvokeStreamTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    private readonly LambdaClient _lambda = new(nephele.Http());

    /// <summary>(event type, payload) of each message of an application/vnd.amazon.eventstream body.</summary>
    internal static List<(string Type, byte[] Payload)> Messages(byte[] body)
    {
        var messages = new List<(string, byte[])>();
        for (var offset = 0; offset < body.Length;)
        {
            var total = BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(offset));
            var headersLength = BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(offset + 4));
            var headers = body.AsSpan(offset + 12, headersLength);
            string? type = null;
            for (var h = 0; h < headers.Length;)
            {
                var name = Encoding.UTF8.GetString(headers.Slice(h + 1, headers[h]));
                h += 1 + headers[h];
                var valueType = headers[h++];
                Assert.Equal(7, valueType);
                var length = BinaryPrimitives.ReadUInt16BigEndian(headers[h..]);
                var value = Encoding.UTF8.GetString(headers.Slice(h + 2, length));
                h += 2 + length;
                if (name == ":event-type") type = value;
            }
            var payloadStart = offset + 12 + headersLength;
            messages.Add((type ?? "?", body[payloadStart..(offset + total - 4)]));
            offset += total;
        }
        return messages;
    }

    [Fact]
    public async Task Response_arrives_as_payload_chunks_and_an_invoke_complete_event()
    {
        var name = LambdaClient.Unique("stream");
        await _lambda.CreateOk(name, "nodejs20.x", "index.handler",
            LambdaClient.Zip(("index.js", "exports.handler = async (e) => { if (e.fail) throw new RangeError('too far'); return { got: e.value }; };")));
        using var http = nephele.Http();
        async Task<(HttpResponseMessage, List<(string Type, byte[] Payload)>)> Call(object payload)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/2021-11-15/functions/{name}/response-streaming-invocations")
            {
                Content = new StringContent(JsonSerializer.Serialize(payload)),
            };
            request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00");
            var response = await http.SendAsync(request);
            return (response, Messages(await response.Content.ReadAsByteArrayAsync()));
        }

        var (ok, events) = await Call(new { value = 7 });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("$LATEST", ok.Headers.GetValues("X-Amz-Executed-Version").Single());
        Assert.Equal(["PayloadChunk", "InvokeComplete"], events.Select(e => e.Type));
        Assert.Equal("{\"got\":7}", Encoding.UTF8.GetString(events[0].Payload));

        var (_, failed) = await Call(new { fail = true });
        var complete = JsonDocument.Parse(failed.Single().Payload).RootElement;
        Assert.Equal(("RangeError", "too far"), (complete.GetProperty("ErrorCode").GetString(), complete.GetProperty("ErrorDetails").GetString()));
    }
}
