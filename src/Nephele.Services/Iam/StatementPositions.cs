using System.Text;
using System.Text.Json;

namespace Nephele.Services.Iam;

/// <summary>
/// Where each statement of a policy document is written, for the simulator's StartPosition/EndPosition: the line and
/// column (both from 1) of the statement's opening brace, and of the character after its closing brace.
/// </summary>
internal static class StatementPositions
{
    public readonly record struct Position(int Line, int Column);

    /// <summary>The start and end of each statement, in document order; empty when the document is not JSON.</summary>
    public static List<(Position Start, Position End)> Locate(string document)
    {
        var bytes = Encoding.UTF8.GetBytes(document);
        var found = new List<(long, long)>();
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return [];
            while (reader.Read() && reader.CurrentDepth >= 1)
            {
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
                var isStatement = reader.ValueTextEquals("Statement");
                reader.Read();
                if (!isStatement)
                {
                    reader.Skip();
                    continue;
                }
                if (reader.TokenType == JsonTokenType.StartObject) found.Add(Span(ref reader));
                else if (reader.TokenType == JsonTokenType.StartArray)
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        if (reader.TokenType == JsonTokenType.StartObject) found.Add(Span(ref reader));
                        else reader.Skip();
            }
        }
        catch (JsonException)
        {
            return [];
        }
        return found.ConvertAll(f => (At(bytes, f.Item1), At(bytes, f.Item2)));
    }

    /// <summary>The byte offsets of an object's opening brace and of the byte after its closing brace.</summary>
    private static (long, long) Span(ref Utf8JsonReader reader)
    {
        var start = reader.TokenStartIndex;
        reader.Skip();
        return (start, reader.TokenStartIndex + 1);
    }

    private static Position At(byte[] bytes, long offset)
    {
        int line = 1, column = 1;
        for (var i = 0; i < offset && i < bytes.Length; i++)
        {
            if (bytes[i] == '\n') (line, column) = (line + 1, 1);
            // Columns count characters: UTF-8 continuation bytes do not start one.
            else if ((bytes[i] & 0xC0) != 0x80) column++;
        }
        return new Position(line, column);
    }
}
