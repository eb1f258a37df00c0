using Microsoft.Data.Sqlite;

namespace Nephele.Core.State;

/// <summary>
/// The prepared statements of one connection, reused call after call so a row operation costs one
/// sqlite3_step rather than a parse. Not thread-safe: the owner (writer lock or reader lease) serializes use.
/// </summary>
internal sealed class SqliteStatements : IDisposable
{
    private const string ScopeWhere = "service = $s AND tbl = $t AND account = $a AND region = $r";

    public SqliteConnection Connection { get; }

    private SqliteCommand? _get, _put, _tryAdd, _delete, _count, _nextScope, _getMeta, _setMeta, _deleteService;
    private readonly SqliteCommand?[] _list = new SqliteCommand?[4];
    private readonly SqliteCommand?[] _range = new SqliteCommand?[18];
    private readonly Dictionary<string, SqliteCommand> _adHoc = [];

    public SqliteStatements(SqliteConnection connection) => Connection = connection;

    public byte[]? Get(string service, string table, Scope scope, string key)
    {
        var cmd = _get ??= Prepare($"SELECT value FROM resources WHERE {ScopeWhere} AND key = $k", "$s", "$t", "$a", "$r", "$k");
        Bind(cmd, service, table, scope);
        cmd.Parameters[4].Value = key;
        return cmd.ExecuteScalar() as byte[];
    }

    public void Put(string service, string table, Scope scope, string key, byte[] value)
    {
        var cmd = _put ??= Prepare(
            "INSERT INTO resources(service, tbl, account, region, key, value) VALUES($s, $t, $a, $r, $k, $v) " +
            "ON CONFLICT DO UPDATE SET value = excluded.value", "$s", "$t", "$a", "$r", "$k", "$v");
        Bind(cmd, service, table, scope);
        cmd.Parameters[4].Value = key;
        cmd.Parameters[5].Value = value;
        cmd.ExecuteNonQuery();
    }

    public bool TryAdd(string service, string table, Scope scope, string key, byte[] value)
    {
        var cmd = _tryAdd ??= Prepare(
            "INSERT INTO resources(service, tbl, account, region, key, value) VALUES($s, $t, $a, $r, $k, $v) " +
            "ON CONFLICT DO NOTHING", "$s", "$t", "$a", "$r", "$k", "$v");
        Bind(cmd, service, table, scope);
        cmd.Parameters[4].Value = key;
        cmd.Parameters[5].Value = value;
        return cmd.ExecuteNonQuery() > 0;
    }

    public bool Delete(string service, string table, Scope scope, string key)
    {
        var cmd = _delete ??= Prepare($"DELETE FROM resources WHERE {ScopeWhere} AND key = $k", "$s", "$t", "$a", "$r", "$k");
        Bind(cmd, service, table, scope);
        cmd.Parameters[4].Value = key;
        return cmd.ExecuteNonQuery() > 0;
    }

    /// <summary>Rows with key in (lower, upper) as an index range; <paramref name="lowerInclusive"/> admits the lower bound itself.</summary>
    public List<KeyValuePair<string, byte[]>> List(string service, string table, Scope scope,
        string lower, bool lowerInclusive, string? upper, int limit)
    {
        var variant = (lowerInclusive ? 1 : 0) | (upper is null ? 0 : 2);
        var cmd = _list[variant] ??= Prepare(
            $"SELECT key, value FROM resources WHERE {ScopeWhere} AND key {(lowerInclusive ? ">=" : ">")} $lo" +
            (upper is null ? "" : " AND key < $hi") + " ORDER BY key LIMIT $n",
            upper is null ? ["$s", "$t", "$a", "$r", "$lo", "$n"] : ["$s", "$t", "$a", "$r", "$lo", "$n", "$hi"]);
        Bind(cmd, service, table, scope);
        cmd.Parameters[4].Value = lower;
        cmd.Parameters[5].Value = limit;
        if (upper is not null) cmd.Parameters[6].Value = upper;
        var rows = new List<KeyValuePair<string, byte[]>>(Math.Min(limit, 64));
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
            rows.Add(new(reader.GetString(0), reader.GetFieldValue<byte[]>(1)));
        return rows;
    }

    /// <summary>Rows in <paramref name="range"/>; one prepared statement per combination of bounds and direction.</summary>
    public List<KeyValuePair<string, byte[]>> Range(string service, string table, Scope scope, KeyRange range, int limit)
    {
        var variant = (range.From is null ? 0 : range.FromInclusive ? 1 : 2) * 6 + (range.To is null ? 0 : range.ToInclusive ? 1 : 2) * 2 + (range.Descending ? 1 : 0);
        var cmd = _range[variant];
        if (cmd is null)
        {
            var sql = $"SELECT key, value FROM resources WHERE {ScopeWhere}";
            string[] names = ["$s", "$t", "$a", "$r", "$n"];
            if (range.From is not null)
            {
                sql += $" AND key {(range.FromInclusive ? ">=" : ">")} $lo";
                names = [.. names, "$lo"];
            }
            if (range.To is not null)
            {
                sql += $" AND key {(range.ToInclusive ? "<=" : "<")} $hi";
                names = [.. names, "$hi"];
            }
            cmd = _range[variant] = Prepare(sql + $" ORDER BY key {(range.Descending ? "DESC" : "ASC")} LIMIT $n", names);
        }
        Bind(cmd, service, table, scope);
        cmd.Parameters[4].Value = limit;
        var next = 5;
        if (range.From is not null) cmd.Parameters[next++].Value = range.From;
        if (range.To is not null) cmd.Parameters[next].Value = range.To;
        var rows = new List<KeyValuePair<string, byte[]>>(Math.Min(limit, 64));
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
            rows.Add(new(reader.GetString(0), reader.GetFieldValue<byte[]>(1)));
        return rows;
    }

    public void DeleteService(string service)
    {
        var cmd = _deleteService ??= Prepare("DELETE FROM resources WHERE service = $s", "$s");
        cmd.Parameters[0].Value = service;
        cmd.ExecuteNonQuery();
    }

    public long Count(string service, string table, Scope scope)
    {
        var cmd = _count ??= Prepare($"SELECT count(*) FROM resources WHERE {ScopeWhere}", "$s", "$t", "$a", "$r");
        Bind(cmd, service, table, scope);
        return (long)cmd.ExecuteScalar()!;
    }

    /// <summary>
    /// The first scope after <paramref name="after"/> that has rows; stepping scope by scope is a few index seeks
    /// where SELECT DISTINCT would read every row of the table.
    /// </summary>
    public Scope? NextScope(string service, string table, Scope after)
    {
        var cmd = _nextScope ??= Prepare(
            "SELECT account, region FROM resources WHERE service = $s AND tbl = $t AND (account, region) > ($a, $r) " +
            "ORDER BY account, region LIMIT 1", "$s", "$t", "$a", "$r");
        var p = cmd.Parameters;
        p[0].Value = service;
        p[1].Value = table;
        p[2].Value = after.AccountId;
        p[3].Value = after.Region;
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? new Scope(reader.GetString(0), reader.GetString(1)) : null;
    }

    public string? GetMeta(string key)
    {
        var cmd = _getMeta ??= Prepare("SELECT value FROM meta WHERE key = $k", "$k");
        cmd.Parameters[0].Value = key;
        return cmd.ExecuteScalar() as string;
    }

    public void SetMeta(string key, string value)
    {
        var cmd = _setMeta ??= Prepare(
            "INSERT INTO meta(key, value) VALUES($k, $v) ON CONFLICT DO UPDATE SET value = excluded.value", "$k", "$v");
        cmd.Parameters[0].Value = key;
        cmd.Parameters[1].Value = value;
        cmd.ExecuteNonQuery();
    }

    /// <summary>Runs parameterless SQL (BEGIN, COMMIT, SAVEPOINT ...), keeping the prepared statement.</summary>
    public void Execute(string sql)
    {
        if (!_adHoc.TryGetValue(sql, out var cmd))
            _adHoc[sql] = cmd = Prepare(sql);
        cmd.ExecuteNonQuery();
    }

    private static void Bind(SqliteCommand cmd, string service, string table, Scope scope)
    {
        var p = cmd.Parameters;
        p[0].Value = service;
        p[1].Value = table;
        // A non-empty account lets Scopes() start its walk after ("", "").
        p[2].Value = string.IsNullOrEmpty(scope.AccountId) ? throw new ArgumentException("Scope has no account id.", nameof(scope)) : scope.AccountId;
        p[3].Value = scope.Region ?? throw new ArgumentException("Scope has no region.", nameof(scope));
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var name in parameters)
            cmd.Parameters.Add(new SqliteParameter { ParameterName = name });
        cmd.Prepare();
        return cmd;
    }

    public void Dispose()
    {
        foreach (var cmd in (SqliteCommand?[])[_get, _put, _tryAdd, _delete, _count, _nextScope, _getMeta, _setMeta, _deleteService, .. _list, .. _range, .. _adHoc.Values])
            cmd?.Dispose();
        _adHoc.Clear();
    }
}
