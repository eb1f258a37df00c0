namespace Nephele.Bench.Startup;

/// <summary>
/// One start: milliseconds from Process.Start to the first 200, and resident memory after idling, of the
/// process that listens and of the whole tree started (they differ for `dotnet run`, whose host stays).
/// </summary>
internal sealed record StartupSample(double ReadyMs, double RssMb, double TreeRssMb);
