using System.Text;
using Nephele.Core.Protocols;

namespace Nephele.Core.Tests.Auth;

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}

public static class RawRequest
{
    /// <summary>
    /// Reads a request in the test suite's text form: "METHOD target HTTP/1.1", header lines ("Name:value",
    /// indented lines continue the previous value), a blank line, the body.
    /// </summary>
    public static AwsRequest Parse(string text)
    {
        var bodyStart = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = bodyStart < 0 ? text : text[..bodyStart];
        var body = bodyStart < 0 ? "" : text[(bodyStart + 2)..];
        var lines = head.Split('\n');
        var requestLine = lines[0];
        var method = requestLine[..requestLine.IndexOf(' ', StringComparison.Ordinal)];
        var target = requestLine[(method.Length + 1)..requestLine.LastIndexOf(" HTTP/", StringComparison.Ordinal)];

        var headers = new List<(string Name, string Value)>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0) continue;
            if (char.IsWhiteSpace(line[0]))
            {
                var (name, value) = headers[^1];
                headers[^1] = (name, value + "\n" + line);
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add((line[..colon], line[(colon + 1)..]));
        }
        var map = new HeaderMap();
        foreach (var (name, value) in headers) map.Add(name, value);
        var host = map.Get("Host") ?? "localhost";
        return AwsRequest.FromBytes(method, target, Encoding.UTF8.GetBytes(body), map, host);
    }

    public static AwsRequest Build(string method, string pathAndQuery, string host, params (string Name, string Value)[] headers) =>
        Build(method, pathAndQuery, host, [], headers);

    public static AwsRequest Build(string method, string pathAndQuery, string host, byte[] body, params (string Name, string Value)[] headers)
    {
        var map = new HeaderMap { { "Host", host } };
        foreach (var (name, value) in headers) map.Add(name, value);
        return AwsRequest.FromBytes(method, pathAndQuery, body, map, host);
    }
}
