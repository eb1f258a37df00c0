namespace Nephele.Core.Tests.Time;

/// <summary>System time frozen at a chosen instant, so offsets can be checked exactly; timers stay real.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}
