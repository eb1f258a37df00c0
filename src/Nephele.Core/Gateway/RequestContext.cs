using Nephele.Core.Auth;
using Nephele.Core.Models;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Core.Gateway;

/// <summary>Everything a handler knows about the request it serves.</summary>
public sealed class RequestContext
{
    public required string RequestId { get; init; }
    public required string Service { get; init; }
    public required ServiceModel Model { get; init; }
    public required OperationModel Operation { get; init; }
    public required AwsRequest Request { get; init; }
    public required CallerIdentity Caller { get; init; }
    public required string Region { get; init; }
    public required TimeProvider Clock { get; init; }
    public CancellationToken Aborted { get; init; }

    /// <summary>IAM enforcement, for a service that uses another service's resource on the caller's behalf (Secrets
    /// Manager calling KMS); null where no server authorizes requests.</summary>
    public RequestAuthorizer? Authorizer { get; init; }

    /// <summary>
    /// For unmodeled operations only (the gateway does not authorize them itself): authorizes a request, usually the
    /// modeled operation the unmodeled one stands for, under IAM enforcement (S3's POST Object acts as PutObject for its
    /// signer); does nothing when enforcement is off. Null for modeled operations, which the gateway has authorized.
    /// </summary>
    public Action<RequestContext, Dictionary<string, object?>>? AuthorizeAs { get; init; }

    public string AccountId => Caller.AccountId;

    /// <summary>The account+region scope of this request; global services use <see cref="GlobalScope"/>.</summary>
    public Scope Scope => new(Caller.AccountId, Region);
    public Scope GlobalScope => Scope.Global(Caller.AccountId);

    /// <summary>Extra headers a handler wants on the response (beyond modeled output members).</summary>
    public HeaderMap ResponseHeaders { get; } = new();

    /// <summary>A status a handler chooses beyond what the model binds (S3 GetObject's 206 for a range).</summary>
    public int? ResponseStatus { get; set; }

    public DateTimeOffset Now => Clock.GetUtcNow();
}
