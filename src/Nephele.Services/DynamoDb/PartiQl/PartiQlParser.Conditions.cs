using Nephele.Core.Protocols;
using Nephele.Services.DynamoDb.Expressions;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb.PartiQl;

/// <summary>The literal MISSING, which only IS may compare.</summary>
internal sealed record MissingOperand : Operand;

/// <summary>WHERE conditions, operands and SET values.</summary>
internal sealed partial class PartiQlParser
{
    private static readonly HashSet<string> OrderingOperators = ["<", "<=", ">", ">="];

    private Condition Or()
    {
        var left = And();
        while (AcceptWord("OR"))
        {
            if (Current.Kind == PqTokenKind.End) throw PartiQlErrors.NotWellFormed("Missing right-hand side expression of infix operator");
            left = new OrCondition(left, And());
        }
        return left;
    }

    private Condition And()
    {
        var left = Not();
        while (AcceptWord("AND"))
        {
            if (Current.Kind == PqTokenKind.End) throw PartiQlErrors.NotWellFormed("Missing right-hand side expression of infix operator");
            left = new AndCondition(left, Not());
        }
        return left;
    }

    private Condition Not() => AcceptWord("NOT") ? new NotCondition(Not()) : Predicate();

    private Condition Predicate()
    {
        if (Accept("("))
        {
            var inner = Or();
            Expect(")");
            return inner;
        }
        if (Current.Kind == PqTokenKind.Word && Next.Is("(") && !Current.IsWord("size"))
            return Function();
        if (Current.Kind == PqTokenKind.End || (Current.Kind == PqTokenKind.Word && IsKeyword(Current) && !IsLiteralWord(Current)))
            throw Unexpected();
        var left = Operand();
        if (Current.Kind == PqTokenKind.Punct && Comparators.Contains(Current.Text))
        {
            var op = Current.Text == "!=" ? "<>" : Current.Text;
            _pos++;
            if (Current.Kind == PqTokenKind.End) throw PartiQlErrors.NotWellFormed("Missing right-hand side expression of infix operator");
            var right = Operand();
            if (left is MissingOperand || right is MissingOperand) throw AwsException.Validation("MISSING must be compared using IS operator");
            if (OrderingOperators.Contains(op)) EnsureOrdered(op, left, right);
            return new CompareCondition(op, left, right);
        }
        var negated = AcceptWord("NOT");
        Condition result;
        if (AcceptWord("BETWEEN"))
        {
            var low = Operand();
            ExpectWord("AND");
            var high = Operand();
            EnsureOrdered("BETWEEN", left, low, high);
            result = new BetweenCondition(left, low, high);
        }
        else if (AcceptWord("IN"))
        {
            result = In(left);
        }
        else if (!negated && AcceptWord("IS"))
        {
            var not = AcceptWord("NOT");
            if (left is not (PathOperand or ValueOperand))
                throw AwsException.Validation("The left hand side argument to IS must be a Variable Reference, Literal, or Path");
            if (AcceptWord("MISSING")) result = Exists(left, false);
            else if (AcceptWord("NULL")) result = new OrCondition(Exists(left, false), new FunctionCondition("attribute_type", [left, Text("NULL")]));
            else throw PartiQlErrors.NotWellFormed("Expected type name");
            return not ? new NotCondition(result) : result;
        }
        else
        {
            if (negated) throw Unexpected();
            throw AwsException.Validation("WHERE clause must contain an expression that resolves to a boolean");
        }
        return negated ? new NotCondition(result) : result;
    }

    private static FunctionCondition Exists(Operand operand, bool exists) =>
        new(exists ? "attribute_exists" : "attribute_not_exists", [operand]);

    private static ValueOperand Text(string s) => new(AttributeValue.FromS(s), "'" + s + "'");

    private Condition In(Operand left)
    {
        if (left is not PathOperand)
            throw AwsException.Validation("IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member");
        var close = Accept("(") ? ")" : Accept("[") ? "]" : throw Unexpected();
        var candidates = new List<Operand>();
        if (!Current.Is(close))
            do candidates.Add(Operand());
            while (Accept(","));
        Expect(close);
        if (candidates.Count == 0)
            throw AwsException.Validation("IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member");
        return new InCondition(left, candidates);
    }

    /// <summary>An ordering operator refuses an operand whose type has no order (only S, N and B have one).</summary>
    private static void EnsureOrdered(string op, params Operand[] operands)
    {
        foreach (var operand in operands)
            if (operand is ValueOperand { Value.Type: not (AttributeType.S or AttributeType.N or AttributeType.B) } v)
                throw PartiQlErrors.IncorrectOperand(op, v.Value.Type.ToString());
    }

    /// <summary>begins_with, contains, attribute_type, attribute_exists, attribute_not_exists.</summary>
    private Condition Function()
    {
        var name = Current.Text.ToLowerInvariant();
        _pos += 2;
        var args = new List<Operand>();
        if (!Current.Is(")"))
            do args.Add(Operand());
            while (Accept(","));
        Expect(")");
        var expected = name switch
        {
            "begins_with" or "contains" or "attribute_type" => 2,
            "attribute_exists" or "attribute_not_exists" => 1,
            _ => throw AwsException.Validation($"Unrecognized function: {name}"),
        };
        if (args.Count != expected)
            throw AwsException.Validation($"Incorrect number of operands for operator or function; operator or function: {name}, number of operands: {args.Count}");
        if (name is "attribute_exists" or "attribute_not_exists" && args[0] is not PathOperand)
            throw PartiQlErrors.IncorrectOperand(name, args[0] is ValueOperand v ? v.Value.Type.ToString() : "path");
        return new FunctionCondition(name, args);
    }

    private static bool IsLiteralWord(PqToken t) => t.IsWord("TRUE") || t.IsWord("FALSE") || t.IsWord("NULL") || t.IsWord("MISSING");

    /// <summary>A path, size(path), ?, a literal, or MISSING.</summary>
    private Operand Operand()
    {
        var t = Current;
        if (t.IsWord("MISSING"))
        {
            _pos++;
            return new MissingOperand();
        }
        if (t.Kind == PqTokenKind.Param) return new ValueOperand(Parameter(), "?");
        if (t.IsWord("size") && Next.Is("("))
        {
            _pos += 2;
            var path = Path();
            Expect(")");
            return new SizeOperand(path);
        }
        if (t.Kind is PqTokenKind.String or PqTokenKind.Number || IsLiteralWord(t) || t.Is("[") || t.Is("{") || t.Is("<<") || (t.Is("-") && Next.Kind == PqTokenKind.Number))
            return new ValueOperand(LiteralValue("root") ?? throw AwsException.Validation("MISSING must be compared using IS operator"), t.Text);
        if (t.Kind is PqTokenKind.Word or PqTokenKind.Quoted) return new PathOperand(Path());
        throw Unexpected();
    }

    /// <summary>One SET assignment: a value, a path, path +/- value, list_append, if_not_exists, set_add or set_delete.</summary>
    private UpdateAction SetAction(DocumentPath target)
    {
        if (Current.Kind == PqTokenKind.Word && Next.Is("(") && (Current.IsWord("set_add") || Current.IsWord("set_delete")))
        {
            var which = Current.Text.ToUpperInvariant()[4..];
            _pos += 2;
            var args = new List<Operand> { SetTerm() };
            while (Accept(",")) args.Add(SetTerm());
            Expect(")");
            if (args.Count != 2) throw AwsException.Validation($"SET_{which} must have exactly two arguments");
            if (args[0] is not PathOperand p || !p.Path.Elements.SequenceEqual(target.Elements))
                throw AwsException.Validation($"The first argument to SET_{which} must equal the assignment value");
            if (args[1] is not ValueOperand { Value.IsSet: true } value)
                throw AwsException.Validation($"The second argument to SET_{which} must be a value with type SET");
            return new UpdateAction(which == "ADD" ? UpdateActionKind.Add : UpdateActionKind.Delete, target, value);
        }
        var left = SetTerm();
        if (Current.Is("+") || Current.Is("-"))
        {
            var op = Current.Text[0];
            _pos++;
            return new UpdateAction(UpdateActionKind.Set, target, new ArithmeticOperand(left, op, SetTerm()));
        }
        return new UpdateAction(UpdateActionKind.Set, target, left);
    }

    private Operand SetTerm()
    {
        if (Current.Kind == PqTokenKind.Word && Next.Is("("))
        {
            var name = Current.Text.ToLowerInvariant();
            if (name is not ("list_append" or "if_not_exists")) throw AwsException.Validation($"Unrecognized function: {name}");
            _pos += 2;
            var first = SetTerm();
            Expect(",");
            var second = SetTerm();
            Expect(")");
            if (name == "list_append") return new ListAppendOperand(first, second);
            return first is PathOperand p ? new IfNotExistsOperand(p.Path, second) : throw PartiQlErrors.IncorrectOperand("if_not_exists", "value");
        }
        var operand = Operand();
        if (operand is MissingOperand) throw AwsException.Validation("MISSING must be compared using IS operator");
        if (operand is SizeOperand) throw AwsException.Validation("Unrecognized function: size");
        return operand;
    }

    /// <summary>
    /// A literal ('text', numbers, true/false/null, [list], {'map': ...}, &lt;&lt;set&gt;&gt;) or ?; null for MISSING.
    /// <paramref name="where"/> names its place (root, root.a, root[1]) for DynamoDB's number errors.
    /// </summary>
    private AttributeValue? LiteralValue(string where)
    {
        var t = Current;
        switch (t.Kind)
        {
            case PqTokenKind.Param: return Parameter();
            case PqTokenKind.String:
                _pos++;
                return AttributeValue.FromS(t.Text);
            case PqTokenKind.Number:
                _pos++;
                return Number(t.Text, where);
        }
        if (t.Is("-") && Next.Kind == PqTokenKind.Number)
        {
            _pos += 2;
            return Number("-" + _tokens[_pos - 1].Text, where);
        }
        if (AcceptWord("TRUE")) return AttributeValue.FromBool(true);
        if (AcceptWord("FALSE")) return AttributeValue.FromBool(false);
        if (AcceptWord("NULL")) return AttributeValue.Null;
        if (AcceptWord("MISSING")) return null;
        if (Accept("["))
        {
            var list = new List<AttributeValue>();
            if (!Current.Is("]"))
                do
                    if (LiteralValue($"{where}[{list.Count}]") is { } v) list.Add(v);
                while (Accept(","));
            Expect("]");
            return AttributeValue.FromL(list);
        }
        if (Accept("{"))
        {
            var map = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
            if (!Current.Is("}"))
                do
                {
                    var key = Current;
                    if (key.Kind != PqTokenKind.String)
                    {
                        if (key.Kind is PqTokenKind.Number or PqTokenKind.Param || IsLiteralWord(key))
                            throw AwsException.Validation($"Tuple keys must be of type String. Actual type: {(key.Kind == PqTokenKind.Number ? "DECIMAL" : key.Text.ToUpperInvariant())} under {where}");
                        throw Unexpected();
                    }
                    _pos++;
                    Expect(":");
                    if (map.ContainsKey(key.Text)) throw AwsException.Validation($"Duplicate keys in tuple. Key: {key.Text} under {where}");
                    if (LiteralValue($"{where}.{key.Text}") is { } v) map[key.Text] = v;
                } while (Accept(","));
            Expect("}");
            return AttributeValue.FromM(map);
        }
        if (Accept("<<"))
        {
            var members = new List<AttributeValue>();
            if (!Current.Is(">>"))
                do members.Add(LiteralValue($"{where}[{members.Count}]") ?? throw AwsException.Validation("Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags"));
                while (Accept(","));
            Expect(">>");
            if (members.Count == 0) throw AwsException.Validation("Empty bags are not supported");
            if (members.All(m => m.Type == AttributeType.S)) return AttributeValue.FromSS(members.Select(m => m.S!).Distinct(StringComparer.Ordinal).ToList());
            if (members.All(m => m.Type == AttributeType.N)) return AttributeValue.FromNS(members.Select(m => m.N).Distinct().ToList());
            if (members.All(m => m.Type == AttributeType.B))
                return AttributeValue.FromBS(members.Select(m => m.B!).DistinctBy(Convert.ToBase64String).ToList());
            throw AwsException.Validation("Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags");
        }
        throw Unexpected();
    }

    private static AttributeValue Number(string text, string where)
    {
        try
        {
            return AttributeValue.FromN(DynamoNumber.Parse(text));
        }
        catch (AwsException e) when (e.Code == "ValidationException")
        {
            if (e.Message.StartsWith("The parameter cannot be converted", StringComparison.Ordinal)) throw PartiQlErrors.NotWellFormed("");
            throw AwsException.Validation($"{e.Message} under {where}");
        }
    }
}
