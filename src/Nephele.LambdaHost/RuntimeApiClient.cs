using System.Globalization;
using System.Net.Http.Headers;

namespace Nephele.LambdaHost;

/// <summary>One invocation as GET /next hands it over.</summary>
internal sealed record NextInvocation(string RequestId, byte[] Payload, long DeadlineMs, string InvokedFunctionArn, string? TraceId, string? ClientContext);

/// <summary>The Lambda Runtime API client: next, response, error and init error, over one keep-alive connection.</summary>
internal sealed class RuntimeApiClient(string address)
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 1 })
    {
        BaseAddress = new Uri($"http://{address}/2018-06-01/runtime/"),
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<NextInvocation> NextAsync()
    {
        using var response = await _http.GetAsync("invocation/next");
        response.EnsureSuccessStatusCode();
        var payload = await response.Content.ReadAsByteArrayAsync();
        string? Header(string name) => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
        var id = Header("Lambda-Runtime-Aws-Request-Id") ?? throw new HttpRequestException("no request id");
        var deadline = long.TryParse(Header("Lambda-Runtime-Deadline-Ms"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) ? d : 0;
        var trace = Header("Lambda-Runtime-Trace-Id");
        if (trace is not null) Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", trace);
        return new NextInvocation(id, payload, deadline, Header("Lambda-Runtime-Invoked-Function-Arn") ?? "", trace, Header("Lambda-Runtime-Client-Context"));
    }

    public Task ResponseAsync(string requestId, byte[] body) => PostAsync($"invocation/{requestId}/response", body, null);

    public Task ErrorAsync(string requestId, ErrorReport error) => PostAsync($"invocation/{requestId}/error", error.ToJson(), error.ErrorType);

    public Task InitErrorAsync(ErrorReport error) => PostAsync("init/error", error.ToJson(), error.ErrorType);

    private async Task PostAsync(string path, byte[] body, string? errorType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (errorType is not null) request.Headers.TryAddWithoutValidation("Lambda-Runtime-Function-Error-Type", errorType);
        using var response = await _http.SendAsync(request);
    }
}
