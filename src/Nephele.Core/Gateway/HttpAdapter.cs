using Microsoft.AspNetCore.Http;
using Nephele.Core.Protocols;

namespace Nephele.Core.Gateway;

/// <summary>Moves requests and responses between Kestrel and the protocol layer (also for services that serve a host
/// themselves, such as Lambda's function URLs).</summary>
public static class HttpAdapter
{
    public static AwsRequest ToAwsRequest(HttpContext http)
    {
        var headers = new HeaderMap();
        foreach (var (name, values) in http.Request.Headers)
            foreach (var value in values)
                if (value is not null) headers.Add(name, value);
        var feature = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>();
        var rawTarget = feature?.RawTarget ?? (http.Request.Path + http.Request.QueryString);
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        return new AwsRequest
        {
            Method = http.Request.Method,
            Path = q < 0 ? rawTarget : rawTarget[..q],
            QueryString = q < 0 ? "" : rawTarget[(q + 1)..],
            Host = http.Request.Host.Value ?? "localhost",
            Headers = headers,
            Body = http.Request.Body,
            SourceIp = http.Connection.RemoteIpAddress?.ToString(),
        };
    }

    public static async Task WriteAsync(HttpContext http, AwsResponse response)
    {
        http.Response.StatusCode = response.StatusCode;
        foreach (var (name, value) in response.Headers)
            http.Response.Headers.Append(name, value);
        if (response.BodyStream is { } stream)
        {
            await using (stream)
            {
                if (stream.CanSeek && !http.Response.Headers.ContentLength.HasValue)
                    http.Response.ContentLength = stream.Length - stream.Position;
                if (!HttpMethods.IsHead(http.Request.Method))
                    await stream.CopyToAsync(http.Response.Body, http.RequestAborted);
            }
        }
        else if (response.Body is { Length: > 0 } body)
        {
            http.Response.ContentLength = body.Length;
            if (!HttpMethods.IsHead(http.Request.Method))
                await http.Response.Body.WriteAsync(body, http.RequestAborted);
        }
        else if (!http.Response.Headers.ContentLength.HasValue && !HttpMethods.IsHead(http.Request.Method))
        {
            http.Response.ContentLength = 0;
        }
    }
}
