using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Nephele.Services.Logs.Insights;

/// <summary>A syntax error of a query, with the character offsets AWS reports in queryCompileError.</summary>
internal sealed class QuerySyntaxException(string message, int start, int end) : Exception(message)
{
    public int Start { get; } = start;
    public int End { get; } = end;
}

/// <summary>
/// Reads a query's tokens on demand. The parser asks for what the grammar allows at each point, which is how a
/// slash is a regex after `like` or `parse` and a division elsewhere.
/// </summary>
internal sealed class QueryScanner(string text)
{
    public string Text => text;
    public int Pos { get; set; }

    public bool AtEnd
    {
        get
        {
            SkipSpace();
            return Pos >= text.Length;
        }
    }

    public char Peek()
    {
        SkipSpace();
        return Pos < text.Length ? text[Pos] : '\0';
    }

    public char PeekAt(int offset)
    {
        SkipSpace();
        return Pos + offset < text.Length ? text[Pos + offset] : '\0';
    }

    /// <summary>Whitespace and # comments (to the end of the line) separate tokens.</summary>
    public void SkipSpace()
    {
        while (Pos < text.Length)
        {
            if (char.IsWhiteSpace(text[Pos])) Pos++;
            else if (text[Pos] == '#') while (Pos < text.Length && text[Pos] != '\n') Pos++;
            else break;
        }
    }

    public bool TryChar(char c)
    {
        if (Peek() != c) return false;
        Pos++;
        return true;
    }

    public bool TryOperator(string op)
    {
        SkipSpace();
        if (string.CompareOrdinal(text, Pos, op, 0, op.Length) != 0) return false;
        Pos += op.Length;
        return true;
    }

    public void Expect(char c)
    {
        if (!TryChar(c)) throw Unexpected();
    }

    /// <summary>A keyword, case-insensitive, as a whole word.</summary>
    public bool TryKeyword(string word)
    {
        SkipSpace();
        if (Pos + word.Length > text.Length || string.Compare(text, Pos, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) != 0) return false;
        if (Pos + word.Length < text.Length && IsIdentifierChar(text[Pos + word.Length])) return false;
        Pos += word.Length;
        return true;
    }

    public bool PeekKeyword(string word)
    {
        var at = Pos;
        var found = TryKeyword(word);
        Pos = at;
        return found;
    }

    public static bool IsIdentifierStart(char c) => char.IsLetter(c) || c is '_' or '@' or '$';

    public static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '@' or '.' or '$';

    public bool AtIdentifier => Peek() is var c && (IsIdentifierStart(c) || c == '`');

    /// <summary>A field or function name; `backticks` quote names with other characters.</summary>
    public string ReadIdentifier()
    {
        SkipSpace();
        if (Pos < text.Length && text[Pos] == '`')
        {
            var close = text.IndexOf('`', Pos + 1);
            if (close < 0) throw Error("unterminated quoted field name", Pos, text.Length);
            var name = text[(Pos + 1)..close];
            Pos = close + 1;
            return name;
        }
        if (Pos >= text.Length || !IsIdentifierStart(text[Pos])) throw Unexpected();
        var start = Pos;
        while (Pos < text.Length && IsIdentifierChar(text[Pos])) Pos++;
        return text[start..Pos];
    }

    public bool AtString => Peek() is '"' or '\'';

    public string ReadString()
    {
        var quote = Peek();
        var start = Pos++;
        var sb = new StringBuilder();
        while (Pos < text.Length && text[Pos] != quote)
        {
            if (text[Pos] == '\\' && Pos + 1 < text.Length)
            {
                Pos++;
                sb.Append(text[Pos] switch { 'n' => '\n', 't' => '\t', _ => text[Pos] });
            }
            else sb.Append(text[Pos]);
            Pos++;
        }
        if (Pos >= text.Length) throw Error("unterminated string", start, text.Length);
        Pos++;
        return sb.ToString();
    }

    /// <summary>A /regex/ (\/ escapes a slash); an `i` right after the closing slash makes it case-insensitive.</summary>
    public Regex ReadRegex()
    {
        var start = Pos;
        Expect('/');
        var sb = new StringBuilder();
        while (Pos < text.Length && text[Pos] != '/')
        {
            if (text[Pos] == '\\' && Pos + 1 < text.Length && text[Pos + 1] == '/') Pos++;
            else if (text[Pos] == '\\' && Pos + 1 < text.Length) sb.Append(text[Pos++]);
            sb.Append(text[Pos++]);
        }
        if (Pos >= text.Length) throw Error("unterminated regular expression", start, text.Length);
        Pos++;
        var options = RegexOptions.CultureInvariant;
        if (Pos < text.Length && text[Pos] == 'i' && (Pos + 1 >= text.Length || !IsIdentifierChar(text[Pos + 1])))
        {
            options |= RegexOptions.IgnoreCase;
            Pos++;
        }
        try
        {
            return new Regex(sb.ToString(), options, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw Error($"invalid regular expression: {e.Message}", start, Pos);
        }
    }

    public bool AtNumber => Peek() is var c && (char.IsDigit(c) || (c == '.' && char.IsDigit(PeekAt(1))));

    /// <summary>A number, or a duration such as 5m, 30s, 1h, 1d, 1w, 100ms (the periods of bin and datefloor).</summary>
    public object ReadNumber()
    {
        SkipSpace();
        var start = Pos;
        while (Pos < text.Length && (char.IsDigit(text[Pos]) || text[Pos] == '.')) Pos++;
        if (!double.TryParse(text.AsSpan(start, Pos - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw Error($"unexpected symbol found {text[start..Pos]} {Where(start)}", start, Pos);
        var unitStart = Pos;
        while (Pos < text.Length && char.IsLetter(text[Pos])) Pos++;
        var unit = text[unitStart..Pos];
        if (unit.Length == 0) return value;
        return unit.ToLowerInvariant() switch
        {
            "ms" => TimeSpan.FromMilliseconds(value),
            "s" or "sec" or "second" or "seconds" => TimeSpan.FromSeconds(value),
            "m" or "min" or "minute" or "minutes" => TimeSpan.FromMinutes(value),
            "h" or "hr" or "hour" or "hours" => TimeSpan.FromHours(value),
            "d" or "day" or "days" => TimeSpan.FromDays(value),
            "w" or "week" or "weeks" => TimeSpan.FromDays(7 * value),
            _ => throw Error($"unexpected symbol found {text[start..Pos]} {Where(start)}", start, Pos),
        };
    }

    public QuerySyntaxException Unexpected()
    {
        SkipSpace();
        if (Pos >= text.Length) return Error("unexpected end of query", Math.Max(0, text.Length - 1), text.Length);
        var end = Pos + 1;
        while (end < text.Length && IsIdentifierChar(text[end]) && IsIdentifierChar(text[Pos])) end++;
        return Error($"unexpected symbol found {text[Pos..end]} {Where(Pos)}", Pos, end - 1);
    }

    /// <summary>"at line L and position P", both counted from 1, as AWS words its compile errors.</summary>
    public string Where(int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] != '\n') continue;
            line++;
            lineStart = i + 1;
        }
        return $"at line {line} and position {offset - lineStart + 1}";
    }

    public static QuerySyntaxException Error(string message, int start, int end) => new(message, start, end);
}
