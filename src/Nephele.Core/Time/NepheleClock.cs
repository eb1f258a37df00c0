using System.Globalization;
using Nephele.Core.State;

namespace Nephele.Core.Time;

/// <summary>
/// Nephele's time: the system's UTC clock plus an offset that tests move forward (<c>POST /_nephele/clock</c>)
/// to fire TTLs, lifecycle rules, schedules and visibility timeouts without waiting. The offset is kept in the
/// state store, so a restarted Nephele resumes at the time it had reached; it never moves backwards, so
/// deadlines already passed stay passed. Timers from <see cref="CreateTimer"/> are due in Nephele time: they
/// run on real time and <see cref="Advance"/> fires those it carries past their due time.
/// </summary>
public sealed class NepheleClock : TimeProvider
{
    public const string OffsetMetaKey = "clock.offset";

    /// <summary>
    /// How far ahead the clock may be moved in total: far beyond any AWS deadline, and near enough that
    /// timestamps (nanosecond ticks in a long, about 292 years) cannot overflow.
    /// </summary>
    public static readonly TimeSpan MaxOffset = TimeSpan.FromDays(100 * 365);

    private readonly IStateStore? _state;
    private readonly Lock _lock = new();
    private readonly HashSet<NepheleTimer> _armed = [];
    private long _offsetTicks;

    /// <summary>A clock whose offset is persisted in <paramref name="state"/>, running on the system clock.</summary>
    public NepheleClock(IStateStore state) : this(state, System) { }

    /// <summary>A clock over <paramref name="system"/>; with a null <paramref name="state"/> the offset is not persisted.</summary>
    public NepheleClock(IStateStore? state, TimeProvider system)
    {
        ArgumentNullException.ThrowIfNull(system);
        _state = state;
        SystemTime = system;
        if (state?.GetMeta(OffsetMetaKey) is { } stored)
        {
            if (!long.TryParse(stored, NumberStyles.None, CultureInfo.InvariantCulture, out _offsetTicks))
                throw new StateStoreException($"the stored clock offset '{stored}' ({OffsetMetaKey}) is not a number of ticks");
        }
    }

    /// <summary>Raised after <see cref="Advance"/> moved the clock, with the amount it moved by.</summary>
    public event EventHandler<TimeSpan>? Advanced;

    /// <summary>How far Nephele's time is ahead of the system clock.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Volatile.Read(ref _offsetTicks));

    internal TimeProvider SystemTime { get; }

    public override DateTimeOffset GetUtcNow() => SystemTime.GetUtcNow() + Offset;

    public override TimeZoneInfo LocalTimeZone => SystemTime.LocalTimeZone;

    public override long TimestampFrequency => SystemTime.TimestampFrequency;

    // Timestamps carry the offset too, so elapsed times measured with GetElapsedTime agree with GetUtcNow.
    public override long GetTimestamp()
        => SystemTime.GetTimestamp() + (long)((Int128)Volatile.Read(ref _offsetTicks) * SystemTime.TimestampFrequency / TimeSpan.TicksPerSecond);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return new NepheleTimer(this, callback, state, dueTime, period);
    }

    /// <summary>
    /// Moves Nephele's time forward by <paramref name="by"/>, durably, then runs the callbacks of the timers now
    /// due on this thread, so effects driven by timers have happened (or started, if asynchronous) on return.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="by"/> is negative: time never moves backwards.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The total offset would exceed <see cref="MaxOffset"/>.</exception>
    /// <exception cref="AggregateException">Timer callbacks threw; every due timer still ran.</exception>
    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
            throw new ArgumentException($"Nephele's clock only moves forward; cannot advance by {by}.", nameof(by));
        // Under the store's transaction, so the lock order is always store, then clock: a thread inside a
        // transaction may create timers (which takes the clock's lock) while another advances.
        if (_state is null) Move(by);
        else _state.Transaction(() => Move(by));
        NepheleTimer[] armed;
        lock (_lock) armed = [.. _armed];

        List<Exception>? errors = null;
        foreach (var timer in armed)
        {
            try
            {
                timer.FireIfDue();
            }
            catch (Exception e)
            {
                (errors ??= []).Add(e);
            }
        }
        Advanced?.Invoke(this, by);
        if (errors is not null) throw new AggregateException("Timer callbacks failed while advancing Nephele's clock.", errors);
    }

    private bool Move(TimeSpan by)
    {
        lock (_lock)
        {
            var next = _offsetTicks + Math.Min(by.Ticks, MaxOffset.Ticks);
            if (by > MaxOffset || next > MaxOffset.Ticks)
                throw new ArgumentOutOfRangeException(nameof(by), by, $"Nephele's clock can be at most {MaxOffset.TotalDays:0} days ahead in total.");
            _state?.SetMeta(OffsetMetaKey, next.ToString(CultureInfo.InvariantCulture));
            Volatile.Write(ref _offsetTicks, next);
            return true;
        }
    }

    internal void Arm(NepheleTimer timer)
    {
        lock (_lock) _armed.Add(timer);
    }

    internal void Disarm(NepheleTimer timer)
    {
        lock (_lock) _armed.Remove(timer);
    }

    /// <summary>How many timers are waiting to fire; lets tests see that fired and disposed timers are released.</summary>
    internal int ArmedTimerCount
    {
        get
        {
            lock (_lock) return _armed.Count;
        }
    }
}
