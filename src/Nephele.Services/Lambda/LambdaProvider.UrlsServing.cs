using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Nephele.Core.Auth;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.Lambda;

/// <summary>
/// Serves function URLs: every method and path of http://&lt;url-id&gt;.lambda-url.&lt;region&gt;.localhost[.localstack.cloud]:&lt;port&gt;/
/// invokes the function with the payload format 2.0 event and maps its answer back to HTTP (see FunctionUrlEvent).
/// CORS preflights are answered from the URL's Cors config without invoking; AWS_IAM URLs need a valid SigV4
/// signature for the lambda service (403 otherwise), whatever Nephele's own signature enforcement is.
/// </summary>
public sealed partial class LambdaProvider
{
    private RequestAuthenticator? _urlAuthenticator;

    private void MapFunctionUrls(InternalRoutes routes) => routes.MapHost(
        host => host.Contains(".lambda-url.", StringComparison.OrdinalIgnoreCase) && FunctionUrlHost().IsMatch(host), ServeFunctionUrlAsync);

    private async Task ServeFunctionUrlAsync(HttpContext http)
    {
        var m = FunctionUrlHost().Match(http.Request.Host.Host);
        var target = Urls.Target(m.Groups["id"].Value.ToLowerInvariant());
        var scope = target is null ? default : new Nephele.Core.State.Scope(target.AccountId, target.Region);
        var config = target is null ? null : Urls.Get(scope, target.FunctionName, target.Qualifier);
        if (target is null || config is null || target.Region != m.Groups["region"].Value)
        {
            await FunctionUrlEvent.WriteMessageAsync(http, 404, "Not Found");
            return;
        }
        var request = HttpAdapter.ToAwsRequest(http);
        var body = await request.ReadBodyAsync(http.RequestAborted);
        if (config.Cors is { } cors && FunctionUrlEvent.IsPreflight(request))
        {
            FunctionUrlEvent.WritePreflight(http, cors, request);
            return;
        }

        CallerIdentity? caller = null;
        if (config.AuthType == "AWS_IAM")
        {
            try
            {
                _urlAuthenticator ??= new RequestAuthenticator(_env.Credentials, _env.Clock, enforceSignatures: true);
                var credential = SigV4Credential.TryParse(request);
                if (credential is null || credential.Service != "lambda") throw new AwsException("Forbidden", "Forbidden", 403);
                caller = (await _urlAuthenticator.AuthenticateAsync(request, credential, AuthErrorDialect.Json, http.RequestAborted)).Caller;
            }
            catch (AwsException)
            {
                await FunctionUrlEvent.WriteMessageAsync(http, 403, "Forbidden");
                return;
            }
        }

        var requestId = Guid.NewGuid().ToString();
        var payload = FunctionUrlEvent.Build(request, body, config, target.AccountId, caller, requestId, _env.Clock.GetUtcNow());
        Dictionary<string, object?> output;
        var stream = config.InvokeMode == "RESPONSE_STREAM" ? new Runtime.InvocationStream() : null;
        try
        {
            var invoking = InvokeAsync(InternalContext(request, scope, requestId, http.RequestAborted), new()
            {
                ["FunctionName"] = target.FunctionName,
                ["Qualifier"] = target.Qualifier,
                ["Payload"] = payload,
            }, stream).AsTask();
            if (stream is not null && await Task.WhenAny(stream.Started.Task, invoking) != invoking)
            {
                // A streaming function: the response goes out as it comes; an error after it started just ends it, as on AWS.
                await FunctionUrlStreaming.WriteAsync(http, stream, stream.Started.Task.Result, config.Cors, request, requestId);
                await invoking;
                return;
            }
            output = await invoking;
        }
        catch (AwsException e) when (e.Code == "TooManyRequestsException")
        {
            await FunctionUrlEvent.WriteMessageAsync(http, 429, "Rate Exceeded.");
            return;
        }
        catch (AwsException)
        {
            await FunctionUrlEvent.WriteMessageAsync(http, 502, "Internal Server Error");
            return;
        }
        if (output.GetString("FunctionError") is not null)
        {
            await FunctionUrlEvent.WriteMessageAsync(http, 502, "Internal Server Error");
            return;
        }
        await FunctionUrlEvent.WriteResponseAsync(http, output.GetValueOrDefault("Payload") as byte[] ?? [], config.Cors, request, requestId);
    }

    /// <summary>A RequestContext for calling this provider's own Invoke, as the function's account, through Nephele's own address.</summary>
    private RequestContext InternalContext(AwsRequest url, Nephele.Core.State.Scope scope, string requestId, CancellationToken ct)
    {
        var catalog = _env.Models ?? throw AwsException.InternalFailure();
        var model = catalog.Get(catalog.Index.Find("lambda")!);
        // The functions' AWS_ENDPOINT_URL is Nephele itself, not the URL's host.
        var m = FunctionUrlHost().Match(url.Host.Split(':')[0]);
        var host = url.Host[(m.Groups["base"].Index)..];
        return new RequestContext
        {
            RequestId = requestId,
            Service = "lambda",
            Model = model,
            Operation = model.FindOperation("Invoke")!,
            Request = new AwsRequest { Method = "POST", Host = host, Path = "/2015-03-31/functions/invocations", SourceIp = url.SourceIp },
            Caller = CallerIdentity.Root(scope.AccountId, scope.AccountId),
            Region = scope.Region,
            Clock = _env.Clock,
            Aborted = ct,
        };
    }

    [GeneratedRegex(@"^(?<id>[a-zA-Z0-9]{1,64})\.lambda-url\.(?<region>[a-z0-9-]+)\.(?<base>localhost(\.localstack\.cloud)?)$", RegexOptions.IgnoreCase)]
    private static partial Regex FunctionUrlHost();
}
