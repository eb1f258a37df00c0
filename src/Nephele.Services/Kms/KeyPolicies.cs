using System.Text.Json;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Kms;

/// <summary>Key policy documents: the defaults AWS writes and the checks PutKeyPolicy/CreateKey apply.</summary>
internal static class KeyPolicies
{
    public const string DefaultName = "default";

    // AWS's key policy for a key created without one, byte for byte as GetKeyPolicy returns it.
    public static string Default(string accountId) => $$"""
        {
          "Version" : "2012-10-17",
          "Id" : "key-default-1",
          "Statement" : [ {
            "Sid" : "Enable IAM User Permissions",
            "Effect" : "Allow",
            "Principal" : {
              "AWS" : "arn:aws:iam::{{accountId}}:root"
            },
            "Action" : "kms:*",
            "Resource" : "*"
          } ]
        }
        """;

    // The policy of an AWS managed key: usable through its service by the account, readable directly, nothing else.
    public static string AwsManaged(Scope scope, string service) => $$"""
        {
          "Version" : "2012-10-17",
          "Id" : "auto-{{service}}-1",
          "Statement" : [ {
            "Sid" : "Allow access through {{service}} for all principals in the account that are authorized to use {{service}}",
            "Effect" : "Allow",
            "Principal" : {
              "AWS" : "*"
            },
            "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey" ],
            "Resource" : "*",
            "Condition" : {
              "StringEquals" : {
                "kms:CallerAccount" : "{{scope.AccountId}}",
                "kms:ViaService" : "{{service}}.{{scope.Region}}.amazonaws.com"
              }
            }
          }, {
            "Sid" : "Allow direct access to key metadata to the account",
            "Effect" : "Allow",
            "Principal" : {
              "AWS" : "arn:aws:iam::{{scope.AccountId}}:root"
            },
            "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*", "kms:RevokeGrant" ],
            "Resource" : "*"
          } ]
        }
        """;

    /// <summary>A policy document as AWS accepts it: JSON, at most 32 KiB, with statements that each have an Effect.</summary>
    public static string Validate(string policy)
    {
        if (policy.Length > 32768)
            throw new AwsException("LimitExceededException", "The key policy exceeds the maximum size of 32768 bytes.");
        try
        {
            using var document = JsonDocument.Parse(policy);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("Statement", out var statements)
                || statements.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
                throw Malformed("The policy must contain a Statement.");
            foreach (var statement in statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray() : Enumerable.Repeat(statements, 1))
            {
                if (statement.ValueKind != JsonValueKind.Object
                    || !statement.TryGetProperty("Effect", out var effect) || effect.GetString() is not ("Allow" or "Deny"))
                    throw Malformed("Policy contains a statement without a valid Effect.");
            }
        }
        catch (JsonException)
        {
            throw Malformed("The new key policy is not valid JSON.");
        }
        return policy;
    }

    /// <summary>Only the policy named "default" exists.</summary>
    public static void RequireDefaultName(string? name)
    {
        if (name is not null && name != DefaultName)
            throw new AwsException("NotFoundException", "No such policy exists");
    }

    private static AwsException Malformed(string message) => new("MalformedPolicyDocumentException", message);
}
