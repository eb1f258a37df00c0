using System.Text;

namespace Nephele.Services.DynamoDb.PartiQl;

internal enum PqTokenKind { Word, Quoted, String, Number, Param, Punct, End }

internal readonly record struct PqToken(PqTokenKind Kind, string Text, int Start)
{
    public bool Is(string punct) => Kind == PqTokenKind.Punct && Text == punct;
    public bool IsWord(string word) => Kind == PqTokenKind.Word && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Splits a PartiQL statement into tokens: bare words, "quoted identifiers", 'strings' ('' escapes a quote),
/// numbers, ? parameters and punctuation (including &lt;&lt; &gt;&gt; for set literals). A character PartiQL does
/// not know, an unterminated quote or a comment is answered with DynamoDB's bare "wasn't well formed" envelope.
/// </summary>
internal static class PartiQlLexer
{
    public static List<PqToken> Tokenize(string text)
    {
        var tokens = new List<PqToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            var start = i;
            if (char.IsAsciiLetter(c) || c == '_' || c == '$')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '$')) i++;
                tokens.Add(new(PqTokenKind.Word, text[start..i], start));
            }
            else if (c is '"' or '\'')
            {
                var sb = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length) throw PartiQlErrors.NotWellFormed("");
                    if (text[i] == c)
                    {
                        if (i + 1 < text.Length && text[i + 1] == c)
                        {
                            sb.Append(c);
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    sb.Append(text[i++]);
                }
                tokens.Add(new(c == '"' ? PqTokenKind.Quoted : PqTokenKind.String, sb.ToString(), start));
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                if (i < text.Length && text[i] == '.')
                    for (i++; i < text.Length && char.IsAsciiDigit(text[i]);) i++;
                if (i < text.Length && text[i] is 'e' or 'E')
                {
                    var j = i + 1;
                    if (j < text.Length && text[j] is '+' or '-') j++;
                    if (j < text.Length && char.IsAsciiDigit(text[j]))
                        for (i = j; i < text.Length && char.IsAsciiDigit(text[i]);) i++;
                }
                tokens.Add(new(PqTokenKind.Number, text[start..i], start));
            }
            else if (c == '?')
            {
                i++;
                tokens.Add(new(PqTokenKind.Param, "?", start));
            }
            else if (c == '-' && i + 1 < text.Length && text[i + 1] == '-')
            {
                // A line comment runs to the end of the line.
                while (i < text.Length && text[i] != '\n') i++;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0) throw PartiQlErrors.NotWellFormed("");
                i = end + 2;
            }
            else if (Two(text, i) is { } two)
            {
                i += 2;
                tokens.Add(new(PqTokenKind.Punct, two, start));
            }
            else if (c is '(' or ')' or '[' or ']' or '{' or '}' or ',' or '.' or ':' or '*' or '=' or '<' or '>' or '+' or '-' or ';')
            {
                i++;
                tokens.Add(new(PqTokenKind.Punct, c.ToString(), start));
            }
            else
            {
                throw PartiQlErrors.NotWellFormed("");
            }
        }
        // A trailing semicolon ends the statement.
        if (tokens.Count > 0 && tokens[^1].Is(";")) tokens.RemoveAt(tokens.Count - 1);
        tokens.Add(new(PqTokenKind.End, "", text.Length));
        return tokens;
    }

    private static string? Two(string text, int i)
    {
        if (i + 1 >= text.Length) return null;
        var s = text.Substring(i, 2);
        return s is "<=" or ">=" or "<>" or "!=" or "<<" or ">>" ? s : null;
    }
}
