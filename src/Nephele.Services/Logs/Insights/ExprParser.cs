namespace Nephele.Services.Logs.Insights;

/// <summary>
/// Expressions, loosest first: or, and, not, comparisons (= != &lt; &lt;= &gt; &gt;= like, not like, =~, in, not in),
/// + -, * / %, ^, unary minus, then literals, fields, function calls and parentheses.
/// </summary>
internal sealed class ExprParser(QueryScanner s, bool aggregates)
{
    public QueryExpr Parse() => Or();

    private QueryExpr Or()
    {
        var start = Start();
        var left = And();
        while (s.TryKeyword("or")) left = Named(new BinaryExpr("or", left, And()), start);
        return left;
    }

    private QueryExpr And()
    {
        var start = Start();
        var left = Not();
        while (s.TryKeyword("and")) left = Named(new BinaryExpr("and", left, Not()), start);
        return left;
    }

    private QueryExpr Not()
    {
        var start = Start();
        if (s.TryKeyword("not") || (s.Peek() == '!' && s.PeekAt(1) != '=' && s.TryChar('!'))) return Named(new UnaryExpr("not", Not()), start);
        return Comparison();
    }

    private QueryExpr Comparison()
    {
        var start = Start();
        var left = Additive();
        var at = s.Pos;
        var negated = s.TryKeyword("not");
        if (s.TryKeyword("like")) return Named(new LikeExpr(left, s.Peek() == '/' ? Regex() : Additive(), negated), start);
        if (s.TryKeyword("in")) return Named(new InExpr(left, List(), negated), start);
        if (negated)
        {
            s.Pos = at;
            return left;
        }
        if (s.TryOperator("=~"))
        {
            var pattern = s.Peek() == '/' ? Regex() : new RegexExpr(new System.Text.RegularExpressions.Regex(
                QueryValue.Text(Additive().Eval(new QueryRow())) ?? "", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)));
            return Named(new LikeExpr(left, pattern, false), start);
        }
        foreach (var op in new[] { "!=", "<=", ">=", "==", "=", "<", ">" })
            if (s.TryOperator(op)) return Named(new BinaryExpr(op == "==" ? "=" : op, left, Additive()), start);
        return left;
    }

    private QueryExpr Additive()
    {
        var start = Start();
        var left = Multiplicative();
        while (true)
        {
            if (s.TryChar('+')) left = Named(new BinaryExpr("+", left, Multiplicative()), start);
            else if (s.TryChar('-')) left = Named(new BinaryExpr("-", left, Multiplicative()), start);
            else return left;
        }
    }

    private QueryExpr Multiplicative()
    {
        var start = Start();
        var left = Power();
        while (true)
        {
            var op = s.Peek();
            if (op is not ('*' or '/' or '%')) return left;
            s.Pos++;
            left = Named(new BinaryExpr(op.ToString(), left, Power()), start);
        }
    }

    private QueryExpr Power()
    {
        var start = Start();
        var left = Unary();
        return s.TryChar('^') ? Named(new BinaryExpr("^", left, Power()), start) : left;
    }

    private QueryExpr Unary()
    {
        var start = Start();
        return s.TryChar('-') ? Named(new UnaryExpr("-", Unary()), start) : ParsePrimary();
    }

    public QueryExpr ParsePrimary()
    {
        var start = Start();
        if (s.AtNumber) return Named(new LiteralExpr(s.ReadNumber()), start);
        if (s.AtString) return Named(new LiteralExpr(s.ReadString()), start);
        if (s.Peek() == '/') return Regex();
        if (s.Peek() == '[') return List();
        if (s.TryChar('('))
        {
            var inner = Or();
            s.Expect(')');
            return Named(inner, start);
        }
        if (!s.AtIdentifier) throw s.Unexpected();
        var quoted = s.Peek() == '`';
        var name = s.ReadIdentifier();
        if (quoted || s.Peek() != '(') return Named(new FieldExpr(name), start);
        return Call(name, start);
    }

    private QueryExpr Call(string name, int start)
    {
        s.Expect('(');
        var args = new List<QueryExpr>();
        if (s.Peek() == '*' && s.PeekAt(1) == ')')
        {
            s.Pos++;
            args.Add(new LiteralExpr("*") { Text = "*" });
        }
        else if (s.Peek() != ')')
        {
            do args.Add(Or());
            while (s.TryChar(','));
        }
        s.Expect(')');
        var end = s.Pos;
        if (Aggregator.Arity.TryGetValue(name, out var aggregateArity))
        {
            // Outside stats an aggregate's text names the column a stats command produced (sort count(*) desc).
            if (!aggregates) return Named(new FieldExpr(s.Text[start..end]), start);
            if (name.Equals("count", StringComparison.OrdinalIgnoreCase) && args.Count == 0) { }
            else Check(name, args.Count, aggregateArity, start, end);
            return Named(new AggregateExpr(name, args), start);
        }
        if (!QueryFunctions.Arity.TryGetValue(name, out var arity))
            throw QueryScanner.Error($"unknown function {name} {s.Where(start)}", start, end - 1);
        Check(name, args.Count, arity, start, end);
        return Named(new CallExpr(name, args), start);
    }

    private static void Check(string name, int count, (int Min, int Max) arity, int start, int end)
    {
        if (count < arity.Min || count > arity.Max)
            throw QueryScanner.Error($"function {name} takes {(arity.Min == arity.Max ? arity.Min.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{arity.Min} to {arity.Max}")} arguments but was given {count}", start, end - 1);
    }

    private RegexExpr Regex()
    {
        var start = Start();
        return (RegexExpr)Named(new RegexExpr(s.ReadRegex()), start);
    }

    private ListExpr List()
    {
        var start = Start();
        s.Expect('[');
        var items = new List<QueryExpr>();
        if (s.Peek() != ']')
        {
            do items.Add(Additive());
            while (s.TryChar(','));
        }
        s.Expect(']');
        return (ListExpr)Named(new ListExpr(items), start);
    }

    private int Start()
    {
        s.SkipSpace();
        return s.Pos;
    }

    private QueryExpr Named(QueryExpr expr, int start)
    {
        expr.Text = s.Text[start..s.Pos].Trim();
        return expr;
    }
}
