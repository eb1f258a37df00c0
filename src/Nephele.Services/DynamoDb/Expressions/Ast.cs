using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb.Expressions;

/// <summary>One step of a document path: an attribute or map key, or a list index.</summary>
internal readonly record struct PathElement(string? Name, int Index)
{
    public bool IsIndex => Name is null;
    public override string ToString() => Name ?? $"[{Index}]";
}

/// <summary>A resolved document path such as a.b[2].c (names already substituted for #placeholders).</summary>
internal sealed record DocumentPath(IReadOnlyList<PathElement> Elements)
{
    public string Root => Elements[0].Name!;
    public override string ToString() => "[" + string.Join(", ", Elements) + "]";

    /// <summary>True when one path is a prefix of the other (equal included): DynamoDB's "overlap".</summary>
    public bool Overlaps(DocumentPath other)
    {
        var n = Math.Min(Elements.Count, other.Elements.Count);
        for (var i = 0; i < n; i++)
            if (Elements[i] != other.Elements[i]) return false;
        return true;
    }
}

/// <summary>Something that yields a value: a path, a :value, size(), or (in updates) arithmetic and functions.</summary>
internal abstract record Operand;
internal sealed record PathOperand(DocumentPath Path) : Operand;
internal sealed record ValueOperand(AttributeValue Value, string Placeholder) : Operand;
internal sealed record SizeOperand(DocumentPath Path) : Operand;
internal sealed record ArithmeticOperand(Operand Left, char Operator, Operand Right) : Operand;
internal sealed record IfNotExistsOperand(DocumentPath Path, Operand Fallback) : Operand;
internal sealed record ListAppendOperand(Operand First, Operand Second) : Operand;

/// <summary>A condition (ConditionExpression, FilterExpression, KeyConditionExpression).</summary>
internal abstract record Condition;
internal sealed record CompareCondition(string Operator, Operand Left, Operand Right) : Condition;
internal sealed record BetweenCondition(Operand Value, Operand Low, Operand High) : Condition;
internal sealed record InCondition(Operand Value, IReadOnlyList<Operand> Candidates) : Condition;
internal sealed record AndCondition(Condition Left, Condition Right) : Condition;
internal sealed record OrCondition(Condition Left, Condition Right) : Condition;
internal sealed record NotCondition(Condition Inner) : Condition;
/// <summary>attribute_exists, attribute_not_exists, attribute_type, begins_with, contains.</summary>
internal sealed record FunctionCondition(string Name, IReadOnlyList<Operand> Arguments) : Condition;

internal enum UpdateActionKind { Set, Remove, Add, Delete }

internal sealed record UpdateAction(UpdateActionKind Kind, DocumentPath Path, Operand? Value);
