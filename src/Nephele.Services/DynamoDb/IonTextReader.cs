using System.Globalization;
using System.Text;
using Nephele.Core.Protocols;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb;

/// <summary>
/// The part of Amazon Ion text that DynamoDB exports and imports use, read straight into attribute values: structs,
/// lists, strings (short and long), symbols, ints, decimals, floats, blobs, booleans, nulls, comments and the
/// <c>$dynamodb_SS</c>/<c>$dynamodb_NS</c>/<c>$dynamodb_BS</c> set annotations. Malformed input throws FormatException.
/// </summary>
internal sealed class IonTextReader(string text)
{
    /// <summary>A top-level symbol such as the version marker $ion_1_0.</summary>
    public sealed record Symbol(string Name);

    private int _pos;

    /// <summary>The next top-level value: a struct as a dictionary, a bare symbol as <see cref="Symbol"/>.</summary>
    public bool Next(out object? value)
    {
        SkipSpace();
        value = null;
        if (_pos >= text.Length) return false;
        if (IsSymbolStart(text[_pos]))
        {
            var start = _pos;
            var name = Identifier();
            SkipSpace();
            if (!Peek("::")) { value = new Symbol(name); return true; }
            _pos = start;
        }
        var v = Value();
        value = v.Type == AttributeType.M ? v.M : (object)v;
        return true;
    }

    public void SkipLine()
    {
        var nl = text.IndexOf('\n', _pos);
        _pos = nl < 0 ? text.Length : nl + 1;
    }

    private AttributeValue Value()
    {
        SkipSpace();
        string? annotation = null;
        while (_pos < text.Length && (IsSymbolStart(text[_pos]) || text[_pos] == '\''))
        {
            var start = _pos;
            var name = text[_pos] == '\'' ? QuotedSymbol() : Identifier();
            SkipSpace();
            if (Peek("::"))
            {
                _pos += 2;
                SkipSpace();
                annotation ??= name;
                continue;
            }
            _pos = start;
            break;
        }
        if (_pos >= text.Length) throw Error("Unexpected end of input");
        var c = text[_pos];
        if (c == '{' && Peek("{{")) return AttributeValue.FromB(Blob());
        if (c == '{') return AttributeValue.FromM(Struct());
        if (c == '[')
        {
            var list = List();
            return annotation switch
            {
                "$dynamodb_SS" => AttributeValue.FromSS(list.Select(v => v.Type == AttributeType.S ? v.S! : throw Error("String set holds a non-string")).ToList()),
                "$dynamodb_NS" => AttributeValue.FromNS(list.Select(v => v.Type == AttributeType.N ? v.N : throw Error("Number set holds a non-number")).ToList()),
                "$dynamodb_BS" => AttributeValue.FromBS(list.Select(v => v.Type == AttributeType.B ? v.B! : throw Error("Binary set holds a non-binary")).ToList()),
                _ => AttributeValue.FromL(list),
            };
        }
        if (c == '"') return AttributeValue.FromS(ShortString());
        if (Peek("'''")) return AttributeValue.FromS(LongStrings());
        if (c == '\'') return AttributeValue.FromS(QuotedSymbol());
        if (c == '-' || char.IsAsciiDigit(c)) return Number();
        if (IsSymbolStart(c))
        {
            var word = Identifier();
            if (word == "null" && _pos < text.Length && text[_pos] == '.') { _pos++; Identifier(); return AttributeValue.Null; }
            return word switch
            {
                "true" => AttributeValue.FromBool(true),
                "false" => AttributeValue.FromBool(false),
                "null" => AttributeValue.Null,
                _ => AttributeValue.FromS(word),
            };
        }
        throw Error($"Unexpected character '{c}'");
    }

    private Dictionary<string, AttributeValue> Struct()
    {
        _pos++;
        var map = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        while (true)
        {
            SkipSpace();
            if (_pos >= text.Length) throw Error("Unterminated struct");
            if (text[_pos] == '}') { _pos++; return map; }
            var name = text[_pos] switch
            {
                '"' => ShortString(),
                '\'' when Peek("'''") => LongStrings(),
                '\'' => QuotedSymbol(),
                _ => Identifier(),
            };
            SkipSpace();
            if (_pos >= text.Length || text[_pos] != ':') throw Error("Expected ':' after a field name");
            _pos++;
            map[name] = Value();
            SkipSpace();
            if (_pos < text.Length && text[_pos] == ',') _pos++;
        }
    }

    private List<AttributeValue> List()
    {
        _pos++;
        var list = new List<AttributeValue>();
        while (true)
        {
            SkipSpace();
            if (_pos >= text.Length) throw Error("Unterminated list");
            if (text[_pos] == ']') { _pos++; return list; }
            list.Add(Value());
            SkipSpace();
            if (_pos < text.Length && text[_pos] == ',') _pos++;
        }
    }

    private byte[] Blob()
    {
        var end = text.IndexOf("}}", _pos, StringComparison.Ordinal);
        if (end < 0) throw Error("Unterminated blob");
        var body = text[(_pos + 2)..end].Trim();
        _pos = end + 2;
        try
        {
            return Convert.FromBase64String(body);
        }
        catch (FormatException)
        {
            throw Error("Invalid base64 in blob");
        }
    }

    private AttributeValue Number()
    {
        var start = _pos;
        while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '-' or '+' or '.' or '_')) _pos++;
        var token = text[start.._pos].Replace("_", "", StringComparison.Ordinal);
        if (token.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || token.StartsWith("-0x", StringComparison.OrdinalIgnoreCase))
        {
            var negative = token[0] == '-';
            var value = System.Numerics.BigInteger.Parse("0" + token[(negative ? 3 : 2)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            return AttributeValue.FromN(DynamoNumber.Parse((negative ? -value : value).ToString(CultureInfo.InvariantCulture)));
        }
        // Ion decimals write their exponent with d/D; DynamoDB numbers take e.
        var normalized = token.Replace('d', 'e').Replace('D', 'e');
        if (normalized.EndsWith('.')) normalized = normalized[..^1];
        try
        {
            return AttributeValue.FromN(DynamoNumber.Parse(normalized));
        }
        catch (AwsException e)
        {
            throw Error(e.Message);
        }
    }

    private string ShortString()
    {
        _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= text.Length) throw Error("Unterminated string");
            var c = text[_pos++];
            if (c == '"') return sb.ToString();
            if (c == '\\') Escape(sb);
            else sb.Append(c);
        }
    }

    /// <summary>One or more adjacent '''long strings''', concatenated as Ion does.</summary>
    private string LongStrings()
    {
        var sb = new StringBuilder();
        while (Peek("'''"))
        {
            _pos += 3;
            while (!Peek("'''"))
            {
                if (_pos >= text.Length) throw Error("Unterminated long string");
                var c = text[_pos++];
                if (c == '\\') Escape(sb);
                else sb.Append(c);
            }
            _pos += 3;
            var save = _pos;
            SkipSpace();
            if (!Peek("'''")) _pos = save;
        }
        return sb.ToString();
    }

    private string QuotedSymbol()
    {
        _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= text.Length) throw Error("Unterminated symbol");
            var c = text[_pos++];
            if (c == '\'') return sb.ToString();
            if (c == '\\') Escape(sb);
            else sb.Append(c);
        }
    }

    private void Escape(StringBuilder sb)
    {
        if (_pos >= text.Length) throw Error("Unterminated escape");
        var c = text[_pos++];
        switch (c)
        {
            case 'n': sb.Append('\n'); break;
            case 'r': sb.Append('\r'); break;
            case 't': sb.Append('\t'); break;
            case '0': sb.Append('\0'); break;
            case 'a': sb.Append('\a'); break;
            case 'b': sb.Append('\b'); break;
            case 'f': sb.Append('\f'); break;
            case 'v': sb.Append('\v'); break;
            case 'x': sb.Append((char)Hex(2)); break;
            case 'u': sb.Append((char)Hex(4)); break;
            case 'U': sb.Append(char.ConvertFromUtf32(Hex(8))); break;
            case '\n': break;
            default: sb.Append(c); break;
        }
    }

    private int Hex(int digits)
    {
        if (_pos + digits > text.Length || !int.TryParse(text.AsSpan(_pos, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            throw Error("Invalid escape");
        _pos += digits;
        return value;
    }

    private string Identifier()
    {
        var start = _pos;
        while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '_' or '$')) _pos++;
        if (_pos == start) throw Error($"Unexpected character '{text[_pos]}'");
        return text[start.._pos];
    }

    private static bool IsSymbolStart(char c) => char.IsAsciiLetter(c) || c is '_' or '$';

    private bool Peek(string s) => string.CompareOrdinal(text, _pos, s, 0, s.Length) == 0;

    private void SkipSpace()
    {
        while (_pos < text.Length)
        {
            if (char.IsWhiteSpace(text[_pos])) _pos++;
            else if (Peek("//")) SkipLine();
            else if (Peek("/*"))
            {
                var end = text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                _pos = end < 0 ? text.Length : end + 2;
            }
            else return;
        }
    }

    private FormatException Error(string message) => new($"{message} at offset {_pos}");
}
