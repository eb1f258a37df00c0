using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb.Expressions;

/// <summary>
/// Recursive-descent parser for DynamoDB's expression languages (condition, update, projection), resolving
/// #name and :value placeholders as it goes. Precedence, lowest first: OR, AND, NOT, comparisons/BETWEEN/IN.
/// </summary>
internal sealed class ExpressionParser
{
    private static readonly HashSet<string> Comparators = ["=", "<>", "<", "<=", ">", ">="];
    private static readonly HashSet<string> ConditionFunctions =
        new(["attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains"], StringComparer.Ordinal);
    private static readonly HashSet<string> ValidTypes = ["S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"];

    private readonly string _text;
    private readonly string _name;
    private readonly List<Token> _tokens;
    private readonly ExpressionAttributes _attributes;
    private int _pos;

    private ExpressionParser(string text, string expressionName, ExpressionAttributes attributes)
    {
        _text = text;
        _name = expressionName;
        _attributes = attributes;
        _tokens = Tokenizer.Tokenize(text, expressionName);
        if (_tokens.Count == 1) throw ExpressionErrors.Invalid(expressionName, "The expression can not be empty;");
    }

    public static Condition ParseCondition(string text, string expressionName, ExpressionAttributes attributes)
    {
        var p = new ExpressionParser(text, expressionName, attributes);
        var condition = p.Or();
        p.ExpectEnd();
        return condition;
    }

    public static List<DocumentPath> ParseProjection(string text, ExpressionAttributes attributes)
    {
        var p = new ExpressionParser(text, "ProjectionExpression", attributes);
        var paths = new List<DocumentPath> { p.Path() };
        while (p.Accept(","))
            paths.Add(p.Path());
        p.ExpectEnd();
        for (var i = 0; i < paths.Count; i++)
            for (var j = i + 1; j < paths.Count; j++)
                if (paths[i].Overlaps(paths[j]))
                    throw ExpressionErrors.Invalid("ProjectionExpression",
                        $"Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {paths[i]}, path two: {paths[j]}");
        return paths;
    }

    public static List<UpdateAction> ParseUpdate(string text, ExpressionAttributes attributes)
    {
        var p = new ExpressionParser(text, "UpdateExpression", attributes);
        var actions = new List<UpdateAction>();
        var seen = new HashSet<UpdateActionKind>();
        while (p.Current.Kind != TokenKind.End)
        {
            var word = p.Current;
            UpdateActionKind kind;
            if (word.IsWord("SET")) kind = UpdateActionKind.Set;
            else if (word.IsWord("REMOVE")) kind = UpdateActionKind.Remove;
            else if (word.IsWord("ADD")) kind = UpdateActionKind.Add;
            else if (word.IsWord("DELETE")) kind = UpdateActionKind.Delete;
            else throw p.Unexpected();
            p._pos++;
            if (!seen.Add(kind))
                throw ExpressionErrors.Invalid("UpdateExpression", $"The \"{kind.ToString().ToUpperInvariant()}\" section can only be used once in an update expression;");
            do
            {
                var path = p.Path();
                Operand? value = kind switch
                {
                    UpdateActionKind.Set => p.ExpectThen("=", p.SetValue),
                    UpdateActionKind.Remove => null,
                    _ => p.UpdateOperand(allowFunctions: false),
                };
                actions.Add(new UpdateAction(kind, path, value));
            } while (p.Accept(","));
        }
        for (var i = 0; i < actions.Count; i++)
            for (var j = i + 1; j < actions.Count; j++)
                if (actions[i].Path.Overlaps(actions[j].Path))
                    throw ExpressionErrors.Invalid("UpdateExpression",
                        $"Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {actions[i].Path}, path two: {actions[j].Path}");
        return actions;
    }

    private Token Current => _tokens[_pos];

    private bool Accept(string punct)
    {
        if (!Current.Is(punct)) return false;
        _pos++;
        return true;
    }

    private void Expect(string punct)
    {
        if (!Accept(punct)) throw Unexpected();
    }

    private T ExpectThen<T>(string punct, Func<T> next)
    {
        Expect(punct);
        return next();
    }

    private void ExpectEnd()
    {
        if (Current.Kind != TokenKind.End) throw Unexpected();
    }

    /// <summary>DynamoDB's syntax error: the offending token and the text from the previous token through the next.</summary>
    private Exception Unexpected()
    {
        var token = Current;
        var prev = _pos > 0 ? _tokens[_pos - 1] : token;
        var next = token.Kind == TokenKind.End ? token : _tokens[_pos + 1];
        var end = next.Kind == TokenKind.End ? _text.Length : next.Start + next.Text.Length;
        return ExpressionErrors.Syntax(_name, _text, token.Text, prev.Start, end);
    }

    private Condition Or()
    {
        var left = And();
        while (Current.IsWord("OR"))
        {
            _pos++;
            left = new OrCondition(left, And());
        }
        return left;
    }

    private Condition And()
    {
        var left = Not();
        while (Current.IsWord("AND"))
        {
            _pos++;
            left = new AndCondition(left, Not());
        }
        return left;
    }

    private Condition Not()
    {
        if (!Current.IsWord("NOT")) return Primary();
        _pos++;
        return new NotCondition(Not());
    }

    private Condition Primary()
    {
        if (Accept("("))
        {
            var inner = Or();
            Expect(")");
            return inner;
        }
        if (Current.Kind == TokenKind.Identifier && _tokens[_pos + 1].Is("(") && !Current.Text.Equals("size", StringComparison.Ordinal))
            return Function();
        var left = ConditionOperand();
        if (Current.Kind == TokenKind.Punct && Comparators.Contains(Current.Text))
        {
            var op = Current.Text;
            _pos++;
            return new CompareCondition(op, left, ConditionOperand());
        }
        if (Current.IsWord("BETWEEN"))
        {
            _pos++;
            var low = ConditionOperand();
            if (!Current.IsWord("AND")) throw Unexpected();
            _pos++;
            return new BetweenCondition(left, low, ConditionOperand());
        }
        if (Current.IsWord("IN"))
        {
            _pos++;
            Expect("(");
            var candidates = new List<Operand> { ConditionOperand() };
            while (Accept(","))
                candidates.Add(ConditionOperand());
            Expect(")");
            if (candidates.Count > 100)
                throw ExpressionErrors.Invalid(_name, "The IN operator is provided with too many operands; number of operands: " + candidates.Count);
            return new InCondition(left, candidates);
        }
        throw Unexpected();
    }

    private Condition Function()
    {
        var name = Current.Text;
        if (!ConditionFunctions.Contains(name))
        {
            if (name is "if_not_exists" or "list_append")
                throw ExpressionErrors.Invalid(_name, $"The function is not allowed to be used this way in an expression; function: {name}");
            throw ExpressionErrors.Invalid(_name, $"Invalid function name; function: {name}");
        }
        _pos += 2;
        var args = new List<Operand> { ConditionOperand() };
        while (Accept(","))
            args.Add(ConditionOperand());
        Expect(")");
        var expected = name is "attribute_exists" or "attribute_not_exists" ? 1 : 2;
        if (args.Count != expected)
            throw ExpressionErrors.Invalid(_name, $"Incorrect number of operands for operator or function; operator or function: {name}, number of operands: {args.Count}");
        if (name is "attribute_exists" or "attribute_not_exists" or "attribute_type" && args[0] is not PathOperand)
            throw ExpressionErrors.IncorrectOperand(_name, name, OperandTypeName(args[0]));
        if (name == "attribute_type" && args[1] is ValueOperand t)
        {
            if (t.Value.Type != AttributeType.S) throw ExpressionErrors.IncorrectOperand(_name, name, t.Value.Type.ToString());
            if (!ValidTypes.Contains(t.Value.S!))
                throw ExpressionErrors.Invalid(_name, $"Invalid attribute type name found; type: {t.Value.S}, valid types: {{B,NULL,SS,BOOL,L,BS,N,NS,S,M}}");
        }
        if (name == "begins_with")
            foreach (var arg in args)
                if (arg is ValueOperand v && v.Value.Type is not (AttributeType.S or AttributeType.B))
                    throw ExpressionErrors.IncorrectOperand(_name, name, v.Value.Type.ToString());
        return new FunctionCondition(name, args);
    }

    private static string OperandTypeName(Operand operand) => operand switch
    {
        ValueOperand v => v.Value.Type.ToString(),
        SizeOperand => "N",
        _ => "path",
    };

    private Operand ConditionOperand()
    {
        if (Current.Kind == TokenKind.Identifier && _tokens[_pos + 1].Is("("))
        {
            var name = Current.Text;
            if (name != "size")
            {
                if (ConditionFunctions.Contains(name) || name is "if_not_exists" or "list_append")
                    throw ExpressionErrors.Invalid(_name, $"The function is not allowed to be used this way in an expression; function: {name}");
                throw ExpressionErrors.Invalid(_name, $"Invalid function name; function: {name}");
            }
            _pos += 2;
            var arg = ConditionOperand();
            Expect(")");
            return arg is PathOperand p ? new SizeOperand(p.Path) : throw ExpressionErrors.IncorrectOperand(_name, "size", OperandTypeName(arg));
        }
        return Current.Kind == TokenKind.ValueRef ? Value() : new PathOperand(Path());
    }

    private ValueOperand Value()
    {
        var placeholder = Current.Text;
        _pos++;
        return new ValueOperand(_attributes.Value(placeholder, _name), placeholder);
    }

    private Operand SetValue()
    {
        var left = UpdateOperand(allowFunctions: true);
        if (Current.Is("+") || Current.Is("-"))
        {
            var op = Current.Text[0];
            _pos++;
            return new ArithmeticOperand(left, op, UpdateOperand(allowFunctions: true));
        }
        return left;
    }

    private Operand UpdateOperand(bool allowFunctions)
    {
        if (Current.Kind == TokenKind.ValueRef) return Value();
        if (Current.Kind == TokenKind.Identifier && _tokens[_pos + 1].Is("("))
        {
            var name = Current.Text;
            if (!allowFunctions || name is not ("if_not_exists" or "list_append"))
            {
                if (ConditionFunctions.Contains(name) || name == "size")
                    throw ExpressionErrors.Invalid(_name, $"The function is not allowed in an update expression; function: {name}");
                if (!allowFunctions && name is "if_not_exists" or "list_append") throw Unexpected();
                throw ExpressionErrors.Invalid(_name, $"Invalid function name; function: {name}");
            }
            _pos += 2;
            var first = UpdateOperand(allowFunctions: true);
            Expect(",");
            var second = UpdateOperand(allowFunctions: true);
            Expect(")");
            if (name == "list_append") return new ListAppendOperand(first, second);
            return first is PathOperand p
                ? new IfNotExistsOperand(p.Path, second)
                : throw ExpressionErrors.IncorrectOperand(_name, "if_not_exists", OperandTypeName(first));
        }
        return new PathOperand(Path());
    }

    private DocumentPath Path()
    {
        var elements = new List<PathElement> { new(PathName(), 0) };
        while (true)
        {
            if (Accept("."))
            {
                elements.Add(new(PathName(), 0));
            }
            else if (Current.Is("["))
            {
                _pos++;
                if (Current.Kind != TokenKind.Number) throw Unexpected();
                if (!int.TryParse(Current.Text, out var index))
                    throw ExpressionErrors.Invalid(_name, $"List index is not within the allowable range; index: [{Current.Text}]");
                _pos++;
                Expect("]");
                elements.Add(new(null, index));
            }
            else
            {
                return new DocumentPath(elements);
            }
        }
    }

    private string PathName()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.NameRef:
                _pos++;
                return _attributes.Name(token.Text, _name);
            case TokenKind.Identifier:
                if (ReservedWords.Contains(token.Text)) throw ExpressionErrors.ReservedWord(_name, token.Text);
                _pos++;
                return token.Text;
            default:
                throw Unexpected();
        }
    }
}
