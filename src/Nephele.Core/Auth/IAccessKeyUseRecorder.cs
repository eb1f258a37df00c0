namespace Nephele.Core.Auth;

/// <summary>
/// Implemented by the provider that issues long-term access keys (IAM): told of every request signed with one of them,
/// for GetAccessKeyLastUsed. Called on the request path, so it must be cheap (remember in memory, persist in batches).
/// </summary>
public interface IAccessKeyUseRecorder
{
    void Used(CallerIdentity caller, string service, string region, DateTimeOffset at);
}
