using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Nephele.Services.Logs;

/// <summary>
/// CloudWatch Logs filter patterns: terms (all must occur, case-sensitive), "quoted phrases", -excluded terms,
/// ?optional terms (any one suffices), JSON patterns ({ $.a.b = "x*" && $.n > 5 }) and space-delimited
/// patterns ([ip, user, ..., status=4*, size>100]).
/// </summary>
internal static class FilterPattern
{
    public static Func<string, bool> Parse(string? pattern)
    {
        var text = pattern?.Trim() ?? "";
        if (text.Length == 0 || text == "\"\"") return static _ => true;
        try
        {
            if (text[0] == '{') return JsonFilterPattern.Parse(text);
            if (text[0] == '[') return SpaceDelimited(text);
            return Terms(text);
        }
        catch (FormatException e)
        {
            throw LogsErrors.InvalidParameter($"Invalid filter pattern: {e.Message}");
        }
    }

    private static Func<string, bool> Terms(string text)
    {
        var required = new List<string>();
        var optional = new List<string>();
        var excluded = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }
            var list = required;
            if (text[i] is '-' or '?' && i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]))
            {
                list = text[i] == '-' ? excluded : optional;
                i++;
            }
            list.Add(ReadWord(text, ref i));
        }
        return message => required.All(t => message.Contains(t, StringComparison.Ordinal))
            && !excluded.Any(t => message.Contains(t, StringComparison.Ordinal))
            && (optional.Count == 0 || optional.Any(t => message.Contains(t, StringComparison.Ordinal)));
    }

    /// <summary>A bare word up to whitespace, or a "quoted phrase" with \" escapes.</summary>
    internal static string ReadWord(string text, ref int i, string stops = "")
    {
        if (text[i] == '"')
        {
            var sb = new System.Text.StringBuilder();
            i++;
            while (i < text.Length && text[i] != '"')
            {
                if (text[i] == '\\' && i + 1 < text.Length) i++;
                sb.Append(text[i++]);
            }
            if (i >= text.Length) throw new FormatException("unterminated quoted term");
            i++;
            return sb.ToString();
        }
        var start = i;
        while (i < text.Length && !char.IsWhiteSpace(text[i]) && stops.IndexOf(text[i]) < 0) i++;
        return text[start..i];
    }

    /// <summary>A value with * wildcards, matched against the whole text.</summary>
    internal static bool Wildcard(string value, string text) => !value.Contains('*')
        ? value == text
        : Regex.IsMatch(text, "^" + string.Join(".*", value.Split('*').Select(Regex.Escape)) + "$", RegexOptions.Singleline);

    private static Func<string, bool> SpaceDelimited(string text)
    {
        if (text[^1] != ']') throw new FormatException("missing ]");
        var fields = text[1..^1].Split(',').Select(f => f.Trim()).ToList();
        var conditions = new List<(int Index, bool FromEnd, Func<string, bool> Test)>();
        var ellipsis = fields.IndexOf("...");
        for (var k = 0; k < fields.Count; k++)
        {
            var field = fields[k];
            if (field == "...") continue;
            var (fromEnd, index) = ellipsis >= 0 && k > ellipsis ? (true, fields.Count - 1 - k) : (false, k);
            var match = Regex.Match(field, @"^(\w+)\s*(=|!=|<=|>=|<|>)\s*(.+)$");
            if (!match.Success) continue;
            var op = match.Groups[2].Value;
            var raw = match.Groups[3].Value.Trim();
            var i = 0;
            var value = ReadWord(raw, ref i);
            conditions.Add((index, fromEnd, Compare(op, value)));
        }
        return message =>
        {
            var words = SplitFields(message);
            if (ellipsis < 0 ? words.Count != fields.Count : words.Count < fields.Count - 1) return false;
            return conditions.All(c =>
            {
                var position = c.FromEnd ? words.Count - 1 - c.Index : c.Index;
                return position >= 0 && position < words.Count && c.Test(words[position]);
            });
        };
    }

    /// <summary>The values a space-delimited pattern's named fields take in a message ("$ip" → "10.0.0.1"), as
    /// TestMetricFilter reports them; term and JSON patterns extract nothing.</summary>
    public static Dictionary<string, string> ExtractedValues(string pattern, string message)
    {
        var text = pattern.Trim();
        if (text.Length < 2 || text[0] != '[' || text[^1] != ']') return [];
        var fields = text[1..^1].Split(',').Select(f => f.Trim()).ToList();
        var words = SplitFields(message);
        var ellipsis = fields.IndexOf("...");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var k = 0; k < fields.Count; k++)
        {
            var name = Regex.Match(fields[k], @"^\w+").Value;
            if (name.Length == 0) continue;
            var position = ellipsis >= 0 && k > ellipsis ? words.Count - (fields.Count - k) : k;
            if (position >= 0 && position < words.Count) values["$" + name] = words[position];
        }
        return values;
    }

    private static Func<string, bool> Compare(string op, string value)
    {
        if (op is "=" or "!=")
        {
            var equal = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                ? (Func<string, bool>)(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d == n : s == value)
                : s => Wildcard(value, s);
            return op == "=" ? equal : s => !equal(s);
        }
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            throw new FormatException($"'{value}' is not a number");
        return s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && op switch
        {
            "<" => d < number,
            "<=" => d <= number,
            ">" => d > number,
            _ => d >= number,
        };
    }

    /// <summary>Fields of a space-delimited line; "quoted" and [bracketed] runs are one field.</summary>
    private static List<string> SplitFields(string message)
    {
        var words = new List<string>();
        var i = 0;
        while (i < message.Length)
        {
            if (message[i] == ' ')
            {
                i++;
                continue;
            }
            var close = message[i] switch { '"' => '"', '[' => ']', _ => '\0' };
            if (close != '\0')
            {
                var end = message.IndexOf(close, i + 1);
                if (end < 0) end = message.Length;
                words.Add(message[(i + 1)..end]);
                i = end + 1;
                continue;
            }
            var start = i;
            while (i < message.Length && message[i] != ' ') i++;
            words.Add(message[start..i]);
        }
        return words;
    }
}

/// <summary>JSON filter patterns: selectors compared with =, !=, &lt;, &gt;, &lt;=, &gt;=, IS NULL/TRUE/FALSE,
/// NOT EXISTS, combined with &amp;&amp;, || and parentheses.</summary>
internal sealed class JsonFilterPattern
{
    private readonly string _text;
    private int _i;

    private JsonFilterPattern(string text) => _text = text;

    public static Func<string, bool> Parse(string text)
    {
        if (text[^1] != '}') throw new FormatException("missing }");
        var parser = new JsonFilterPattern(text[1..^1]);
        var test = parser.Or();
        parser.Skip();
        if (parser._i < parser._text.Length) throw new FormatException($"unexpected '{parser._text[parser._i..]}'");
        return message =>
        {
            try
            {
                using var doc = JsonDocument.Parse(message);
                return test(doc.RootElement);
            }
            catch (JsonException)
            {
                return false;
            }
        };
    }

    private Func<JsonElement, bool> Or()
    {
        var left = And();
        while (Accept("||"))
        {
            var (l, r) = (left, And());
            left = e => l(e) || r(e);
        }
        return left;
    }

    private Func<JsonElement, bool> And()
    {
        var left = Primary();
        while (Accept("&&"))
        {
            var (l, r) = (left, Primary());
            left = e => l(e) && r(e);
        }
        return left;
    }

    private Func<JsonElement, bool> Primary()
    {
        if (Accept("("))
        {
            var inner = Or();
            if (!Accept(")")) throw new FormatException("missing )");
            return inner;
        }
        Skip();
        if (_i >= _text.Length || _text[_i] != '$') throw new FormatException("expected a selector starting with $");
        var start = _i;
        while (_i < _text.Length && !char.IsWhiteSpace(_text[_i]) && "=!<>&|)".IndexOf(_text[_i]) < 0) _i++;
        var selector = _text[start.._i];
        if (AcceptWord("NOT")) return AcceptWord("EXISTS") ? e => Select(e, selector) is null : throw new FormatException("expected EXISTS");
        if (AcceptWord("IS"))
        {
            var kind = ReadValue();
            return kind.ToUpperInvariant() switch
            {
                "NULL" => e => Select(e, selector) is { ValueKind: JsonValueKind.Null },
                "TRUE" => e => Select(e, selector) is { ValueKind: JsonValueKind.True },
                "FALSE" => e => Select(e, selector) is { ValueKind: JsonValueKind.False },
                _ => throw new FormatException($"IS {kind}"),
            };
        }
        var op = new[] { "!=", "<=", ">=", "=", "<", ">" }.FirstOrDefault(Accept) ?? throw new FormatException("expected a comparison");
        Skip();
        var quoted = _i < _text.Length && _text[_i] == '"';
        var value = ReadValue();
        var isNumber = !quoted && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        var number = isNumber ? double.Parse(value, CultureInfo.InvariantCulture) : 0;
        if (op is not ("=" or "!=") && !isNumber) throw new FormatException($"'{value}' is not a number");
        return e =>
        {
            if (Select(e, selector) is not { } v) return false;
            if (isNumber)
            {
                if (v.ValueKind != JsonValueKind.Number) return op == "!=";
                var d = v.GetDouble();
                return op switch { "=" => d == number, "!=" => d != number, "<" => d < number, "<=" => d <= number, ">" => d > number, _ => d >= number };
            }
            var s = v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText();
            return FilterPattern.Wildcard(value, s) == (op == "=");
        };
    }

    private string ReadValue()
    {
        Skip();
        return FilterPattern.ReadWord(_text, ref _i, "&|)");
    }

    /// <summary>$.a.b[0].c against a document; null when the path does not exist.</summary>
    private static JsonElement? Select(JsonElement root, string selector)
    {
        var current = root;
        foreach (Match part in Regex.Matches(selector[1..], @"\.([^.\[]+)|\[(\d+)\]"))
        {
            if (part.Groups[1].Success)
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part.Groups[1].Value, out current)) return null;
            }
            else
            {
                var index = int.Parse(part.Groups[2].Value, CultureInfo.InvariantCulture);
                if (current.ValueKind != JsonValueKind.Array || index >= current.GetArrayLength()) return null;
                current = current[index];
            }
        }
        return current;
    }

    private void Skip()
    {
        while (_i < _text.Length && char.IsWhiteSpace(_text[_i])) _i++;
    }

    private bool Accept(string token)
    {
        Skip();
        if (string.CompareOrdinal(_text, _i, token, 0, token.Length) != 0) return false;
        _i += token.Length;
        return true;
    }

    private bool AcceptWord(string word)
    {
        Skip();
        if (_i + word.Length > _text.Length || !_text.AsSpan(_i, word.Length).Equals(word, StringComparison.OrdinalIgnoreCase)) return false;
        if (_i + word.Length < _text.Length && char.IsLetter(_text[_i + word.Length])) return false;
        _i += word.Length;
        return true;
    }
}
