using Nephele.Core.Protocols;
using Nephele.Services.DynamoDb.Expressions;
using Nephele.Services.DynamoDb.Model;

namespace Nephele.Services.DynamoDb.PartiQl;

/// <summary>
/// Recursive-descent parser for DynamoDB's dialect of PartiQL: SELECT, INSERT, UPDATE, DELETE and (in
/// transactions) EXISTS. Conditions come out as <see cref="Condition"/> trees and SET/REMOVE as
/// <see cref="UpdateAction"/>s, with ? parameters and literals resolved to attribute values while parsing.
/// Condition precedence, lowest first: OR, AND, NOT, predicates.
/// </summary>
internal sealed partial class PartiQlParser
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "FROM", "WHERE", "ORDER", "BY", "INSERT", "INTO", "VALUE", "VALUES", "UPDATE", "SET", "REMOVE", "DELETE",
        "RETURNING", "AND", "OR", "NOT", "BETWEEN", "IN", "IS", "MISSING", "NULL", "TRUE", "FALSE", "ASC", "DESC", "AS",
        "EXISTS", "LIMIT", "AT", "LIKE",
    };

    private static readonly HashSet<string> Comparators = ["=", "<>", "!=", "<", "<=", ">", ">="];

    private readonly List<PqToken> _tokens;
    private readonly IReadOnlyList<AttributeValue> _parameters;
    private int _pos;
    private int _used;

    private PartiQlParser(string text, IReadOnlyList<AttributeValue> parameters)
    {
        _tokens = PartiQlLexer.Tokenize(text);
        _parameters = parameters;
    }

    /// <summary>Parses one statement; too few parameters for its ? placeholders is an error, extra ones are ignored as AWS does.</summary>
    public static PqStatement Parse(string text, IReadOnlyList<AttributeValue> parameters)
    {
        var p = new PartiQlParser(text, parameters);
        var statement = p.Statement();
        if (p.Current.Kind != PqTokenKind.End) throw PartiQlErrors.NotWellFormed("Unexpected token after expression");
        return statement;
    }

    private PqToken Current => _tokens[_pos];
    private PqToken Next => _tokens[Math.Min(_pos + 1, _tokens.Count - 1)];

    private bool Accept(string punct)
    {
        if (!Current.Is(punct)) return false;
        _pos++;
        return true;
    }

    private bool AcceptWord(string word)
    {
        if (!Current.IsWord(word)) return false;
        _pos++;
        return true;
    }

    private void Expect(string punct)
    {
        if (!Accept(punct)) throw Unexpected();
    }

    private void ExpectWord(string word)
    {
        if (!AcceptWord(word)) throw Unexpected();
    }

    private bool IsKeyword(PqToken t) => t.Kind == PqTokenKind.Word && Keywords.Contains(t.Text);

    /// <summary>DynamoDB's detail for a token that cannot go where it stands.</summary>
    private AwsException Unexpected()
    {
        var t = Current;
        return PartiQlErrors.NotWellFormed(t.Kind switch
        {
            PqTokenKind.End => "Unexpected term",
            PqTokenKind.Word when t.IsWord("IS") || t.IsWord("LIKE") => "Unexpected operator",
            PqTokenKind.Word when IsKeyword(t) => "Unexpected keyword",
            PqTokenKind.Punct when Comparators.Contains(t.Text) => "Unexpected operator",
            _ => "Unexpected token",
        });
    }

    private PqStatement Statement()
    {
        if (AcceptWord("SELECT")) return Select();
        if (AcceptWord("INSERT")) return Insert();
        if (AcceptWord("UPDATE")) return Update();
        if (AcceptWord("DELETE")) return Delete();
        if (AcceptWord("EXISTS"))
        {
            Expect("(");
            ExpectWord("SELECT");
            var select = Select();
            Expect(")");
            return new PqExists(select);
        }
        throw PartiQlErrors.NotWellFormed("Expected data manipulation");
    }

    private PqSelect Select()
    {
        List<DocumentPath>? projection = null;
        if (Accept("*"))
        {
            if (Current.Is(",")) throw AwsException.Validation("Other attributes should not be present in the projection when '*' is used.");
        }
        else
        {
            projection = [Path()];
            while (Accept(","))
            {
                if (Current.Is("*")) throw AwsException.Validation("Other attributes should not be present in the projection when '*' is used.");
                projection.Add(Path());
            }
        }
        ExpectWord("FROM");
        var (table, index) = Source("Unexpected term", allowIndex: true);
        Condition? where = null;
        if (AcceptWord("WHERE")) where = Or();
        DocumentPath? orderBy = null;
        var descending = false;
        if (AcceptWord("ORDER"))
        {
            ExpectWord("BY");
            orderBy = Path();
            if (AcceptWord("DESC")) descending = true;
            else AcceptWord("ASC");
        }
        return new PqSelect(table, index, projection, where, orderBy, descending);
    }

    private PqInsert Insert()
    {
        ExpectWord("INTO");
        var (table, _) = Source("Expected identifier for simple path", allowIndex: false);
        if (Current.IsWord("VALUES"))
            throw PartiQlErrors.Unsupported("Inserting multiple items in a single statement is not supported, use \"INSERT INTO tableName VALUE item\" instead");
        if (!AcceptWord("VALUE")) throw PartiQlErrors.NotWellFormed("Unexpected token after expression");
        Dictionary<string, AttributeValue> item;
        if (Current.Is("{")) item = LiteralValue("root")!.M!;
        else if (Current.Kind == PqTokenKind.Param && Parameter() is { Type: AttributeType.M } map) item = new(map.M!, StringComparer.Ordinal);
        else throw AwsException.Validation("Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.");
        if (Current.IsWord("RETURNING")) throw AwsException.Validation("RETURNING is not supported in INSERT");
        return new PqInsert(table, item);
    }

    private PqUpdate Update()
    {
        var (table, _) = Source("Expected identifier for simple path", allowIndex: false);
        var actions = new List<UpdateAction>();
        while (true)
        {
            if (AcceptWord("SET"))
            {
                do
                {
                    var path = Path();
                    Expect("=");
                    actions.Add(SetAction(path));
                } while (Accept(","));
            }
            else if (AcceptWord("REMOVE"))
            {
                do actions.Add(new UpdateAction(UpdateActionKind.Remove, Path(), null));
                while (Accept(","));
            }
            else if (Current.IsWord("ADD") || Current.IsWord("DELETE"))
            {
                throw AwsException.Validation("Only SET and REMOVE are supported in update expressions at this time");
            }
            else
            {
                break;
            }
        }
        if (actions.Count == 0) throw Unexpected();
        for (var i = 0; i < actions.Count; i++)
            for (var j = i + 1; j < actions.Count; j++)
                if (actions[i].Path.Overlaps(actions[j].Path))
                    throw AwsException.Validation($"Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {actions[i].Path}, path two: {actions[j].Path}");
        Condition? where = null;
        if (AcceptWord("WHERE")) where = Or();
        return new PqUpdate(table, actions, where, Returning());
    }

    private PqDelete Delete()
    {
        ExpectWord("FROM");
        var (table, _) = Source("Expected identifier for simple path", allowIndex: false);
        Condition? where = null;
        if (AcceptWord("WHERE")) where = Or();
        var returning = Returning();
        if (returning is not (null or "ALL OLD"))
            throw AwsException.Validation($"Invalid returning clause: RETURNING {returning} *. Only RETURNING ALL OLD * is allowed in DELETE statements.");
        return new PqDelete(table, where, returning);
    }

    /// <summary>RETURNING (ALL|MODIFIED) (OLD|NEW) *, as "ALL OLD" etc., or null when absent.</summary>
    private string? Returning()
    {
        if (!AcceptWord("RETURNING")) return null;
        var which = Current.IsWord("ALL") ? "ALL" : Current.IsWord("MODIFIED") ? "MODIFIED" : throw Unexpected();
        _pos++;
        var when = Current.IsWord("OLD") ? "OLD" : Current.IsWord("NEW") ? "NEW" : throw Unexpected();
        _pos++;
        if (!Accept("*")) throw AwsException.Validation("Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause");
        return $"{which} {when}";
    }

    /// <summary>FROM "table" or "table"."index"; an alias after it is refused as DynamoDB does.</summary>
    private (string Table, string? Index) Source(string missing, bool allowIndex)
    {
        if (Current.Kind == PqTokenKind.End || (Current.Kind == PqTokenKind.Word && IsKeyword(Current)))
            throw PartiQlErrors.NotWellFormed(missing);
        var table = SourceName();
        string? index = null;
        if (Accept("."))
        {
            index = SourceName();
            if (Current.Is(".")) throw AwsException.Validation("A path may contain at most 2 components in the FROM clause");
            if (!allowIndex) throw AwsException.Validation("This operation is not supported on an index");
        }
        if (Current.IsWord("AS") || (Current.Kind is PqTokenKind.Word or PqTokenKind.Quoted && !IsKeyword(Current)))
        {
            if (!allowIndex && Current.Kind != PqTokenKind.Quoted && !Current.IsWord("AS") && Next.IsWord("VALUE"))
                throw PartiQlErrors.NotWellFormed("Unexpected token after expression");
            throw AwsException.Validation("Aliasing is not supported");
        }
        return (table, index);
    }

    private string SourceName()
    {
        var t = Current;
        if (t.Kind is not (PqTokenKind.Quoted or PqTokenKind.Word) || IsKeyword(t)) throw Unexpected();
        _pos++;
        if (t.Text.Length == 0) throw AwsException.Validation("Path component cannot be an empty string");
        return t.Text;
    }

    /// <summary>A document path: name, then .name or [index] steps; names bare or "quoted".</summary>
    private DocumentPath Path()
    {
        var first = Current;
        if (first.Kind == PqTokenKind.Punct && first.Is("["))
            throw AwsException.Validation("A path cannot start with a list index");
        if (first.Kind is not (PqTokenKind.Word or PqTokenKind.Quoted) || (first.Kind == PqTokenKind.Word && IsKeyword(first))) throw Unexpected();
        _pos++;
        var elements = new List<PathElement> { new(first.Text, 0) };
        while (true)
        {
            if (Current.Is(".") && Next.Kind is PqTokenKind.Word or PqTokenKind.Quoted)
            {
                _pos++;
                elements.Add(new(Current.Text, 0));
                _pos++;
            }
            else if (Current.Is("[") && Next.Kind == PqTokenKind.Number)
            {
                _pos++;
                if (!int.TryParse(Current.Text, out var index))
                    throw AwsException.Validation($"List index is not within the allowable range; index: [{Current.Text}]");
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

    private AttributeValue Parameter()
    {
        _pos++;
        if (_used >= _parameters.Count) throw AwsException.Validation("Number of parameters in request and statement don't match.");
        return _parameters[_used++];
    }
}
