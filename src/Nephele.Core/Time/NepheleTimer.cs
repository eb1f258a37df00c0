namespace Nephele.Core.Time;

/// <summary>
/// A timer due in Nephele time. It waits on a real-time timer for the remaining time and re-checks against
/// <see cref="NepheleClock.GetUtcNow"/> when that fires or when the clock is advanced, so whichever comes first
/// fires it. Periodic timers fire once per check however far the clock jumped (like System.Threading.Timer
/// after a stall): consumers derive what is due from stored state, so one callback catches up.
/// </summary>
internal sealed class NepheleTimer : ITimer
{
    // The longest wait System.Threading.Timer accepts; longer waits re-check when it fires and wait again.
    private static readonly TimeSpan MaxRealWait = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly NepheleClock _clock;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private readonly ITimer _real;
    private readonly Lock _lock = new();
    private DateTimeOffset? _due;
    private TimeSpan _period;
    private bool _disposed;

    public NepheleTimer(NepheleClock clock, TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _clock = clock;
        _callback = callback;
        _state = state;
        _real = clock.SystemTime.CreateTimer(static s => ((NepheleTimer)s!).FireIfDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Change(dueTime, period);
    }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        Validate(dueTime, nameof(dueTime));
        Validate(period, nameof(period));
        lock (_lock)
        {
            if (_disposed) return false;
            _period = period;
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                _due = null;
                _real.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _clock.Disarm(this);
            }
            else
            {
                _due = Add(_clock.GetUtcNow(), dueTime);
                _clock.Arm(this);
                _real.Change(Clamp(dueTime), Timeout.InfiniteTimeSpan);
            }
            return true;
        }
    }

    /// <summary>Runs the callback if the timer is due in Nephele time, else waits (in real time) for the rest.</summary>
    public void FireIfDue()
    {
        lock (_lock)
        {
            if (_disposed || _due is not { } due) return;
            var now = _clock.GetUtcNow();
            if (now < due)
            {
                _real.Change(Clamp(due - now), Timeout.InfiniteTimeSpan);
                return;
            }
            if (_period == TimeSpan.Zero || _period == Timeout.InfiniteTimeSpan)
            {
                _due = null;
                _clock.Disarm(this);
            }
            else
            {
                _due = Add(now, _period);
                _real.Change(Clamp(_period), Timeout.InfiniteTimeSpan);
            }
        }
        // Outside the lock: the callback may Change or Dispose this timer.
        _callback(_state);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _due = null;
            _clock.Disarm(this);
        }
        _real.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static DateTimeOffset Add(DateTimeOffset now, TimeSpan wait)
        => wait >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + wait;

    private static TimeSpan Clamp(TimeSpan wait) => wait > MaxRealWait ? MaxRealWait : wait < TimeSpan.Zero ? TimeSpan.Zero : wait;

    // Unlike System.Threading.Timer, waits beyond ~49.7 days are allowed: lifecycle rules and retention run
    // for months or years, and the clock is advanced past them; the real-time wait is clamped and re-checked.
    private static void Validate(TimeSpan value, string name)
    {
        if (value != Timeout.InfiniteTimeSpan && value < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(name, value, "Must be Timeout.InfiniteTimeSpan or at least zero.");
    }
}
