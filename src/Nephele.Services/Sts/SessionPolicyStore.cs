using System.Text.Json.Serialization;
using Nephele.Core.State;

namespace Nephele.Services.Sts;

/// <summary>
/// What a temporary session may do beyond its principal's policies: the session policies passed to AssumeRole or
/// GetFederationToken (inline Policy and PolicyArns), and for a federated user the IAM user it was made from. Keyed
/// by the session's access key; read by IAM when --enforce-iam evaluates the session's requests.
/// </summary>
internal sealed class SessionPolicyStore(IStateStore state)
{
    private readonly IResourceTable _sessions = state.Table("sts", "session-policies");

    public SessionPolicyRecord? Get(string account, string accessKeyId) =>
        _sessions.Get(Scope.Global(account), accessKeyId, StsJsonContext.Default.SessionPolicyRecord);

    public void Put(string account, string accessKeyId, SessionPolicyRecord session) =>
        _sessions.Put(Scope.Global(account), accessKeyId, session, StsJsonContext.Default.SessionPolicyRecord);
}

internal sealed record SessionPolicyRecord
{
    /// <summary>The inline session policy (JSON), if one was passed.</summary>
    public string? Policy { get; init; }
    /// <summary>Managed policies passed as session policies.</summary>
    public List<string> PolicyArns { get; init; } = [];
    /// <summary>For GetFederationToken: the IAM user whose permissions the federated user's session intersects.</summary>
    public string? FederatedFrom { get; init; }
    /// <summary>When the session was authenticated with an MFA code (aws:MultiFactorAuthPresent, aws:MultiFactorAuthAge).</summary>
    public DateTimeOffset? MultiFactorAuthTime { get; init; }
}

[JsonSerializable(typeof(SessionPolicyRecord))]
internal sealed partial class StsJsonContext : JsonSerializerContext;
