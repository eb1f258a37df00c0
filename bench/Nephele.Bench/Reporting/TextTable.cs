using System.Text;

namespace Nephele.Bench.Reporting;

/// <summary>A Markdown table with padded columns: readable in a terminal, pasteable into bench/README.md.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public override string ToString()
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        void Line(IReadOnlyList<string> cells) =>
            text.Append("| ").AppendJoin(" | ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).AppendLine(" |");
        Line(headers);
        text.Append('|').AppendJoin('|', widths.Select((w, i) => i == 0 ? new string('-', w + 2) : new string('-', w + 1) + ":")).AppendLine("|");
        foreach (var row in _rows) Line(row);
        return text.ToString();
    }

    /// <summary>"0.12x" for a value relative to moto's; "-" when there is nothing to compare with.</summary>
    public static string Ratio(double value, double? reference) =>
        reference is > 0 && !double.IsNaN(value) ? $"{value / reference.Value:0.00}x" : "-";
}
