namespace Nephele.Core.Auth;

/// <summary>Who sent a request: resolved from the access key of its SigV4 credential.</summary>
public sealed record CallerIdentity(string AccessKeyId, string AccountId, string Arn, string UserId, string? SessionToken = null)
{
    public const string DefaultAccountId = "000000000000";
    public const string DefaultRegion = "us-east-1";

    /// <summary>The account's root user, which requests with an unknown access key act as.</summary>
    public static CallerIdentity Root(string accessKeyId, string accountId) =>
        new(accessKeyId, accountId, $"arn:aws:iam::{accountId}:root", accountId);
}
