using Nephele.Services.DynamoDb.Expressions;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb.PartiQl;

/// <summary>
/// A parsed PartiQL statement. WHERE clauses are the same <see cref="Condition"/> trees as DynamoDB's condition
/// expressions and SET/REMOVE the same <see cref="UpdateAction"/>s as update expressions, with every literal and
/// ? parameter already turned into an <see cref="AttributeValue"/>, so they are evaluated by the existing code.
/// </summary>
internal abstract record PqStatement(string TableName, string? IndexName);

/// <summary>SELECT; a null projection is *.</summary>
internal sealed record PqSelect(string TableName, string? IndexName, IReadOnlyList<DocumentPath>? Projection, Condition? Where,
    DocumentPath? OrderBy, bool Descending) : PqStatement(TableName, IndexName);

internal sealed record PqInsert(string TableName, Dictionary<string, AttributeValue> Item) : PqStatement(TableName, null);

/// <summary>UPDATE; Returning is "ALL OLD", "MODIFIED OLD", "ALL NEW", "MODIFIED NEW" or null.</summary>
internal sealed record PqUpdate(string TableName, IReadOnlyList<UpdateAction> Actions, Condition? Where, string? Returning)
    : PqStatement(TableName, null);

internal sealed record PqDelete(string TableName, Condition? Where, string? Returning) : PqStatement(TableName, null);

/// <summary>EXISTS(SELECT ...): a condition check, allowed only in write transactions.</summary>
internal sealed record PqExists(PqSelect Select) : PqStatement(Select.TableName, Select.IndexName);
