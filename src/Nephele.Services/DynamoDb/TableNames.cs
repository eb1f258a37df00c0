using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.DynamoDb;

/// <summary>Since 2024 DynamoDB accepts a table's ARN wherever it takes a TableName.</summary>
internal static class TableNames
{
    /// <summary>The table name itself, or the name inside a table ARN of this account and region.</summary>
    public static string? Resolve(Scope scope, string? nameOrArn)
    {
        if (nameOrArn is null || !nameOrArn.StartsWith("arn:", StringComparison.Ordinal)) return nameOrArn;
        var parts = nameOrArn.Split(':', 6);
        if (parts.Length != 6 || parts[2] != "dynamodb" || !parts[5].StartsWith("table/", StringComparison.Ordinal) || parts[5].IndexOf('/', 6) >= 0)
            throw AwsException.Validation($"Invalid TableArn: Invalid ResourceArn provided as input {nameOrArn}");
        if (parts[3] != scope.Region || parts[4] != scope.AccountId)
            throw new AwsException("ResourceNotFoundException", "Requested resource not found");
        return parts[5]["table/".Length..];
    }
}
