using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.DynamoDb;

/// <summary>
/// DynamoDB: tables with global and local secondary indexes, items of every attribute type, the expression
/// languages, Query/Scan, batches and transactions, kept in Nephele's state store.
/// </summary>
public sealed partial class DynamoDbProvider(ServiceEnvironment env) : IAwsProvider, IDisposable
{
    private readonly TableStore _store = new(env);
    private readonly TableSweeper _sweeper = new(env);
    private readonly Kms.KmsEnvelope _kms = new(env);
    private readonly BackupStore _backups = new(env.State);

    public string ServiceName => "dynamodb";

    public void Register(OperationRegistry operations)
    {
        RegisterBackups(operations);
        RegisterExports(operations);
        RegisterImports(operations);
        RegisterResourcePolicies(operations);
        operations.On("RestoreTableToPointInTime", RestoreTableToPointInTime);
        RegisterTables(operations);
    }

    private void RegisterTables(OperationRegistry operations) => operations
        .On("CreateTable", CreateTable)
        .On("DescribeTable", DescribeTable)
        .On("ListTables", ListTables)
        .On("DeleteTable", DeleteTable)
        .On("UpdateTable", UpdateTable)
        .On("TagResource", TagResource)
        .On("UntagResource", UntagResource)
        .On("ListTagsOfResource", ListTagsOfResource)
        .On("DescribeLimits", DescribeLimits)
        .On("DescribeEndpoints", DescribeEndpoints)
        .On("UpdateTimeToLive", UpdateTimeToLive)
        .On("DescribeTimeToLive", DescribeTimeToLive)
        .On("DescribeContinuousBackups", DescribeContinuousBackups)
        .On("UpdateContinuousBackups", UpdateContinuousBackups)
        .On("PutItem", PutItem)
        .On("GetItem", GetItem)
        .On("UpdateItem", UpdateItem)
        .On("DeleteItem", DeleteItem)
        .On("Query", Query)
        .On("Scan", Scan)
        .On("BatchGetItem", BatchGetItem)
        .On("BatchWriteItem", BatchWriteItem)
        .On("TransactWriteItems", TransactWriteItems)
        .On("TransactGetItems", TransactGetItems)
        .On("ExecuteStatement", ExecuteStatement)
        .On("BatchExecuteStatement", BatchExecuteStatement)
        .On("ExecuteTransaction", ExecuteTransaction);

    public void Dispose() => _sweeper.Dispose();

    private static AwsException NotFound() => new("ResourceNotFoundException", "Requested resource not found");

    private static AwsException InUse(string message) => new("ResourceInUseException", message);
}
