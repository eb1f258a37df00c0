namespace Nephele.Bench.Reporting;

/// <summary>Order statistics over a handful of runs or a few million latencies.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> values) => Percentile(values.Order().ToArray(), 50);

    /// <summary>Nearest-rank percentile of an ascending array.</summary>
    public static double Percentile(double[] sorted, double percent)
    {
        if (sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
