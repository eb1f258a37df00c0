using Nephele.Core.Protocols;
using Nephele.Core.State;
using Nephele.Services.Kms;

namespace Nephele.Services.DynamoDb;

/// <summary>
/// SSESpecification of CreateTable, ImportTable and the restores: Enabled true means a KMS key (the AWS managed
/// alias/aws/dynamodb unless KMSMasterKeyId names another); Enabled false or absent means the AWS owned key, which
/// DescribeTable does not describe.
/// </summary>
internal static class SseSpecifications
{
    public static SseRecord? Read(KmsEnvelope kms, Scope scope, Dictionary<string, object?>? spec)
    {
        if (spec is null || spec.GetBool("Enabled") != true)
        {
            if (spec?.GetString("KMSMasterKeyId") is not null)
                throw AwsException.Validation("One or more parameter values were invalid: KMSMasterKeyId can only be specified when SSE is enabled");
            return null;
        }
        var type = spec.GetString("SSEType") ?? "KMS";
        if (type != "KMS")
            throw AwsException.Validation($"One or more parameter values were invalid: Unsupported SSEType: {type}");
        try
        {
            // Encrypting nothing resolves the key (id, ARN or alias) and proves it usable, as DynamoDB checks at create time.
            var (arn, _) = kms.Encrypt(scope, spec.GetString("KMSMasterKeyId"), "dynamodb", [], []);
            return new SseRecord("KMS", arn);
        }
        catch (AwsException e) when (e.Code is "NotFoundException" or "DisabledException" or "KMSInvalidStateException")
        {
            throw AwsException.Validation($"One or more parameter values were invalid: KMSMasterKeyId {spec.GetString("KMSMasterKeyId")} is invalid: {e.Message}");
        }
    }

    public static Dictionary<string, object?> Describe(SseRecord sse) => new()
    {
        ["Status"] = "ENABLED",
        ["SSEType"] = sse.SseType,
        ["KMSMasterKeyArn"] = sse.KmsMasterKeyArn,
    };
}
