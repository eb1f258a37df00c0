using System.Text;
using System.Text.RegularExpressions;

namespace Nephele.Services.Logs.Insights;

/// <summary>
/// A parsed Logs Insights query: commands separated by pipes (fields, display, filter, parse, stats, sort, limit,
/// dedup, unmask). Parse throws <see cref="QuerySyntaxException"/> with the offsets of the offending text.
/// </summary>
internal sealed class InsightsQuery
{
    private static readonly HashSet<string> Unsupported = new(StringComparer.OrdinalIgnoreCase)
        { "pattern", "diff", "anomaly", "unnest", "lookup", "filterIndex", "source", "join" };

    private readonly List<QueryCommand> _commands;

    private InsightsQuery(List<QueryCommand> commands) => _commands = commands;

    public static InsightsQuery Parse(string text)
    {
        var scanner = new QueryScanner(text);
        var commands = new List<QueryCommand>();
        while (true)
        {
            while (scanner.TryChar('|'))
            {
            }
            if (scanner.AtEnd) break;
            commands.Add(ParseCommand(scanner));
            if (scanner.AtEnd) break;
            if (scanner.Peek() != '|') throw scanner.Unexpected();
        }
        if (commands.Count == 0) throw QueryScanner.Error("the query is empty", 0, Math.Max(0, text.Length - 1));
        return new InsightsQuery(commands);
    }

    /// <summary>Runs the commands over the events (newest first); <paramref name="matched"/> counts the records that
    /// passed the query's filters.</summary>
    public (List<QueryRow> Rows, QueryShape Shape) Run(IEnumerable<QueryRow> events, int limit, Action matched)
    {
        var shape = new QueryShape();
        var rows = events;
        var counted = false;
        foreach (var command in _commands)
        {
            if (!counted && command is StatsCommand or SortCommand or LimitCommand or DedupCommand)
            {
                rows = Count(rows, matched);
                counted = true;
            }
            rows = command.Run(rows, shape);
        }
        if (!counted) rows = Count(rows, matched);
        var result = rows.Take(Math.Min(limit, shape.Limit ?? limit)).ToList();
        return (result, shape);
    }

    private static IEnumerable<QueryRow> Count(IEnumerable<QueryRow> rows, Action matched)
    {
        foreach (var row in rows)
        {
            matched();
            yield return row;
        }
    }

    private static QueryCommand ParseCommand(QueryScanner s)
    {
        var start = s.Pos;
        if (!s.AtIdentifier) throw s.Unexpected();
        var word = s.ReadIdentifier();
        switch (word.ToLowerInvariant())
        {
            case "fields": return new FieldsCommand(NamedList(s, aggregates: false));
            case "display": return new DisplayCommand(FieldList(s));
            case "filter": return new FilterCommand(new ExprParser(s, aggregates: false).Parse());
            case "parse": return ParseParse(s);
            case "stats": return ParseStats(s);
            case "sort": return ParseSort(s);
            case "limit":
                if (!s.AtNumber || s.ReadNumber() is not double n || n < 1 || n != Math.Floor(n)) throw s.Unexpected();
                return new LimitCommand((int)Math.Min(n, 10_000));
            case "dedup": return new DedupCommand(FieldList(s));
            case "unmask":
                if (s.Peek() == '(')
                {
                    s.Expect('(');
                    s.ReadIdentifier();
                    s.Expect(')');
                }
                return new UnmaskCommand();
        }
        if (Unsupported.Contains(word))
            throw QueryScanner.Error($"the {word} command is not supported by Nephele yet", start, s.Pos - 1);
        s.Pos = start;
        throw s.Unexpected();
    }

    private static List<(QueryExpr Expr, string Name)> NamedList(QueryScanner s, bool aggregates)
    {
        var items = new List<(QueryExpr, string)>();
        do
        {
            var expr = new ExprParser(s, aggregates).Parse();
            var name = s.TryKeyword("as") ? s.ReadIdentifier() : expr is FieldExpr f ? f.Name : expr.Text;
            items.Add((expr, name));
        }
        while (s.TryChar(','));
        return items;
    }

    private static List<string> FieldList(QueryScanner s)
    {
        var names = new List<string>();
        do names.Add(s.ReadIdentifier());
        while (s.TryChar(','));
        return names;
    }

    private static ParseCommand ParseParse(QueryScanner s)
    {
        QueryExpr source = new FieldExpr("@message");
        if (s.AtIdentifier) source = new ExprParser(s, aggregates: false).ParsePrimary();
        var patternStart = s.Pos;
        if (s.Peek() == '/')
        {
            var regex = s.ReadRegex();
            var names = regex.GetGroupNames().Where(n => !int.TryParse(n, out _)).ToList();
            if (names.Count == 0) throw QueryScanner.Error("a parse regular expression needs named groups such as (?<name>...)", patternStart, s.Pos - 1);
            // Named groups only, numbered in order, so group i + 1 is field i.
            var named = new Regex(regex.ToString(), regex.Options | RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1));
            return new ParseCommand(source, named, named.GetGroupNames().Where(n => !int.TryParse(n, out _)).ToList());
        }
        if (!s.AtString) throw s.Unexpected();
        var glob = s.ReadString();
        var stars = glob.Count(c => c == '*');
        if (!s.TryKeyword("as")) throw s.Unexpected();
        var fields = FieldList(s);
        if (fields.Count != stars)
            throw QueryScanner.Error($"the parse pattern has {stars} wildcards but {fields.Count} fields", patternStart, s.Pos - 1);
        return new ParseCommand(source, GlobRegex(glob), fields);
    }

    /// <summary>A glob of parse: literal text with * captures; the last capture takes the rest of the text.</summary>
    private static Regex GlobRegex(string glob)
    {
        var parts = glob.Split('*');
        var sb = new StringBuilder();
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0) sb.Append(i == parts.Length - 1 && parts[i].Length == 0 ? "(.*)" : "(.*?)");
            sb.Append(Regex.Escape(parts[i]));
        }
        return new Regex(sb.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    private static StatsCommand ParseStats(QueryScanner s)
    {
        var start = s.Pos;
        var items = NamedList(s, aggregates: true);
        foreach (var (expr, _) in items)
            if (!expr.Aggregates().Any())
                throw QueryScanner.Error($"stats needs an aggregate function such as count() or avg(); found {expr.Text}", start, s.Pos - 1);
        var groups = s.TryKeyword("by") ? NamedList(s, aggregates: false) : [];
        return new StatsCommand(items, groups);
    }

    private static SortCommand ParseSort(QueryScanner s)
    {
        var keys = new List<(QueryExpr, bool)>();
        do
        {
            var expr = new ExprParser(s, aggregates: false).Parse();
            var descending = !s.TryKeyword("asc") && s.TryKeyword("desc");
            keys.Add((expr, descending));
        }
        while (s.TryChar(','));
        return new SortCommand(keys);
    }
}
