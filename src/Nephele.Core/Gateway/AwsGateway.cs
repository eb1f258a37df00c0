using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Nephele.Core.Auth;
using Nephele.Core.Models;
using Nephele.Core.Protocols;

namespace Nephele.Core.Gateway;

/// <summary>
/// The request pipeline for AWS calls: detect the service, choose the protocol, identify the caller,
/// parse, dispatch to the provider, serialize. AwsExceptions are caught here and only here.
/// </summary>
public sealed class AwsGateway(
    ModelCatalog catalog,
    ServiceDetector detector,
    ProtocolRegistry protocols,
    ProviderRegistry providers,
    RequestAuthenticator authenticator,
    RequestAuthorizer authorizer,
    TimeProvider clock,
    ILogger<AwsGateway> logger)
{
    public async Task HandleAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        var requestId = RequestIds.New();
        var request = HttpAdapter.ToAwsRequest(http);
        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
            await request.ReadBodyAsync(http.RequestAborted);

        var credential = SigV4Credential.TryParse(request);
        var service = detector.Detect(request, credential?.Service)!;
        var protocolName = ProtocolSelector.Select(service, request);
        var protocol = protocols.Get(protocolName);
        var model = catalog.Get(service, protocolName);
        if (service.Name == "s3") S3Addressing.ToPathStyle(request);
        var cors = providers.CorsOf(service.Name);
        if (cors is not null && HttpMethods.IsOptions(request.Method))
        {
            await PreflightAsync(http, cors, request, protocol, model, requestId, service.Name, started);
            return;
        }

        OperationModel? operation = null;
        AwsResponse response;
        var region = RequestAuthenticator.RegionOf(credential);
        var account = CallerIdentity.DefaultAccountId;
        try
        {
            var dialect = protocolName is "json" or "rest-json" or "smithy-rpc-v2-cbor" ? AuthErrorDialect.Json
                : service.Name == "s3" ? AuthErrorDialect.S3 : AuthErrorDialect.Query;
            var caller = (await authenticator.AuthenticateAsync(request, credential, dialect, http.RequestAborted)).Caller;
            account = caller.AccountId;
            // Long-term keys (IAM users' and the root's AKIA keys) remember their last use; temporary ones do not, as in AWS.
            if (caller.AccessKeyId.StartsWith("AKIA", StringComparison.Ordinal))
                providers.AccessKeyUse?.Used(caller, service.Name, region, clock.GetUtcNow());
            // S3 stores Content-Encoding as object metadata; everywhere else gzip is request compression.
            if (service.Name != "s3") await ContentEncoding.DecodeAsync(request, http.RequestAborted);
            operation = protocol.ResolveOperation(model, request);
            // A request the model has no operation for may still be one the provider serves (S3's POST Object).
            var unmodeled = operation is null ? providers.UnmodeledOf(service.Name) : null;
            if (unmodeled?.Match(request) is { } unmodeledName) operation = OperationModel.Unmodeled(unmodeledName, request.Method);
            else unmodeled = null;
            if (operation is null) throw UnknownOperation(protocolName, request);
            var handler = unmodeled is not null ? null : providers.Find(service.Name, operation.Name)
                ?? throw AwsException.NotImplemented(service.ServiceId, operation.Name);
            var input = handler is null ? new Dictionary<string, object?>() : await protocol.ParseAsync(model, operation, request, http.RequestAborted);
            var context = new RequestContext
            {
                RequestId = requestId,
                Service = service.Name,
                Model = model,
                Operation = operation,
                Request = request,
                Caller = caller,
                Region = region,
                Clock = clock,
                Aborted = http.RequestAborted,
                Authorizer = authorizer,
                AuthorizeAs = handler is null ? AuthorizingWith(authorizer, protocolName) : null,
            };
            if (handler is null)
            {
                response = await unmodeled!.HandleAsync(context);
            }
            else
            {
                authorizer.Authorize(context, input, protocolName);
                var output = await handler(context, input);
                response = protocol.Serialize(model, operation, output, requestId);
            }
            foreach (var (name, value) in context.ResponseHeaders) response.Headers.Set(name, value);
            if (context.ResponseStatus is { } status) response.StatusCode = status;
            providers.MarkRunning(service.Name);
        }
        catch (AwsException e)
        {
            response = protocol.SerializeError(model, operation, e, requestId);
            foreach (var (name, value) in e.Headers) response.Headers.Set(name, value);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            GatewayLog.Unhandled(logger, e, service.Name, operation?.Name ?? "?");
            response = protocol.SerializeError(model, operation, AwsException.InternalFailure(), requestId);
        }

        if (cors is not null && request.Headers.Contains("Origin")) cors.AddCorsHeaders(request, response.Headers);
        RequestIds.Stamp(response.Headers, requestId, service.Name == "s3");
        await HttpAdapter.WriteAsync(http, response);
        // A handler that fails mid-stream has already sent its 200; the client got an error event, the log gets the cause.
        if (response.BodyStream is Protocols.EventStream.OutgoingEventStream { Fault: { } fault })
            GatewayLog.Unhandled(logger, fault, service.Name, operation?.Name ?? "?");
        if (logger.IsEnabled(LogLevel.Information))
            GatewayLog.Request(logger, service.Name, operation?.Name ?? "?", account, region, response.StatusCode,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>A browser's preflight, answered by the service that owns the resource's CORS rules.</summary>
    private async Task PreflightAsync(HttpContext http, IResourceCors cors, AwsRequest request, IWireProtocol protocol, ServiceModel model,
        string requestId, string service, long started)
    {
        AwsResponse response;
        try
        {
            response = cors.Preflight(request);
        }
        catch (AwsException e)
        {
            response = protocol.SerializeError(model, null, e, requestId);
        }
        RequestIds.Stamp(response.Headers, requestId, service == "s3");
        await HttpAdapter.WriteAsync(http, response);
        if (logger.IsEnabled(LogLevel.Information))
            GatewayLog.Request(logger, service, "Preflight", CallerIdentity.DefaultAccountId, "", response.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    // A separate method so that modeled requests allocate no closure.
    private static Action<RequestContext, Dictionary<string, object?>> AuthorizingWith(RequestAuthorizer authorizer, string protocol) =>
        (context, input) => authorizer.Authorize(context, input, protocol);

    private static AwsException UnknownOperation(string protocol, AwsRequest request) => protocol switch
    {
        "query" or "ec2" => new AwsException("InvalidAction",
            $"The action {request.Query.Get("Action") ?? QueryMap.Parse(request.BodyText).Get("Action") ?? "(none)"} is not valid for this web service.", 400),
        "json" => new AwsException("UnknownOperationException", $"The operation {request.Headers.Get("X-Amz-Target")} is not known.", 400),
        _ => new AwsException("UnknownOperationException", $"No operation matches {request.Method} {request.Path}.", 404),
    };
}
