namespace Nephele.Bench.Startup;

/// <summary>One start: milliseconds from Process.Start to the first 200, and resident memory after idling.</summary>
internal sealed record StartupSample(double ReadyMs, double RssMb);
