using System.Text.Json;
using Spectre.Console;

namespace Nephele.Cli;

/// <summary>`nephele status`: the running instance's health as a table.</summary>
internal static class StatusCommand
{
    public static async Task<int> RunAsync(string host, int port, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var url = $"http://{(host is "0.0.0.0" ? "127.0.0.1" : host)}:{port}/_nephele/health";
        JsonDocument health;
        try
        {
            health = JsonDocument.Parse(await http.GetStringAsync(url, ct));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            Console.Error.WriteLine($"nephele: no Nephele answers at {url} ({e.Message})");
            return 1;
        }
        using (health)
        {
            var root = health.RootElement;
            AnsiConsole.MarkupLine($"Nephele [bold]{Markup.Escape(root.GetProperty("version").GetString() ?? "")}[/], up {root.GetProperty("uptimeSeconds").GetDouble():0}s, " +
                $"data: {Markup.Escape(root.GetProperty("dataDir").GetString() ?? "in memory")}");
            var table = new Table().AddColumn("Service").AddColumn("State");
            foreach (var s in root.GetProperty("services").EnumerateObject())
            {
                var state = s.Value.GetString() ?? "";
                var color = state switch { "running" => "green", "available" => "blue", _ => "grey" };
                table.AddRow(Markup.Escape(s.Name), $"[{color}]{Markup.Escape(state)}[/]");
            }
            AnsiConsole.Write(table);
        }
        return 0;
    }
}
