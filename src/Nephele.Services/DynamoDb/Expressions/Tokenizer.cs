namespace Nephele.Services.DynamoDb.Expressions;

internal enum TokenKind { Identifier, NameRef, ValueRef, Number, Punct, End }

internal readonly record struct Token(TokenKind Kind, string Text, int Start)
{
    public bool Is(string punct) => Kind == TokenKind.Punct && Text == punct;
    public bool IsWord(string word) => Kind == TokenKind.Identifier && string.Equals(Text, word, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Splits an expression into tokens; an unexpected character is a syntax error naming it, as DynamoDB does.</summary>
internal static class Tokenizer
{
    public static List<Token> Tokenize(string text, string expressionName)
    {
        var tokens = new List<Token>();
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
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
                tokens.Add(new(TokenKind.Identifier, text[start..i], start));
            }
            else if (c is '#' or ':')
            {
                i++;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
                if (i == start + 1) throw ExpressionErrors.Syntax(expressionName, text, c.ToString(), start, i);
                tokens.Add(new(c == '#' ? TokenKind.NameRef : TokenKind.ValueRef, text[start..i], start));
            }
            else if (char.IsAsciiDigit(c))
            {
                while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                tokens.Add(new(TokenKind.Number, text[start..i], start));
            }
            else if (c is '<' or '>')
            {
                i++;
                if (i < text.Length && (text[i] == '=' || (c == '<' && text[i] == '>'))) i++;
                tokens.Add(new(TokenKind.Punct, text[start..i], start));
            }
            else if (c is '(' or ')' or '[' or ']' or ',' or '.' or '=' or '+' or '-')
            {
                i++;
                tokens.Add(new(TokenKind.Punct, c.ToString(), start));
            }
            else
            {
                throw ExpressionErrors.Syntax(expressionName, text, c.ToString(), start, start + 1);
            }
        }
        tokens.Add(new(TokenKind.End, "<EOF>", text.Length));
        return tokens;
    }
}
