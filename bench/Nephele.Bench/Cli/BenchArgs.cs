namespace Nephele.Bench.Cli;

/// <summary>
/// "--name value" options and "--flag" switches. Hand-rolled because the bench takes a dozen options
/// and must pass BenchmarkDotNet's own arguments through untouched.
/// </summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private static readonly HashSet<string> Switches = ["--build-aot", "--no-build", "--quiet", "--durable"];

    public static BenchArgs Parse(IReadOnlyList<string> args)
    {
        var parsed = new BenchArgs();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal))
                throw new BenchException($"unexpected argument '{name}'; options look like --name value.");
            if (Switches.Contains(name))
            {
                parsed._values[name] = null;
                continue;
            }
            if (i + 1 >= args.Count)
                throw new BenchException($"option {name} needs a value.");
            parsed._values[name] = args[++i];
        }
        return parsed;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public int GetInt(string name, int fallback, int min, int max)
    {
        if (Get(name) is not { } text) return fallback;
        if (!int.TryParse(text, out var value) || value < min || value > max)
            throw new BenchException($"option {name} must be a whole number from {min} to {max}, not '{text}'.");
        return value;
    }

    public IReadOnlyList<string> GetList(string name, IReadOnlyList<string> fallback, IReadOnlyCollection<string> allowed)
    {
        if (Get(name) is not { } text) return fallback;
        var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var item in items)
            if (!allowed.Contains(item))
                throw new BenchException($"option {name}: unknown '{item}'; choose from {string.Join(", ", allowed)}.");
        return items;
    }
}
