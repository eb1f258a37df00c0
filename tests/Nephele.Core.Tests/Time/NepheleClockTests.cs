using Nephele.Core.State;
using Nephele.Core.Tests.State;
using Nephele.Core.Time;

namespace Nephele.Core.Tests.Time;

public sealed class NepheleClockTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly TempDataDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Now_is_system_time_plus_the_offset_and_advance_moves_it_forward()
    {
        var system = new FixedTimeProvider(Start);
        var clock = new NepheleClock(null, system);
        Assert.Equal(Start, clock.GetUtcNow());
        Assert.Equal(TimeSpan.Zero, clock.Offset);

        clock.Advance(TimeSpan.FromHours(1));
        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(TimeSpan.FromMinutes(90), clock.Offset);
        Assert.Equal(Start.AddMinutes(90), clock.GetUtcNow());

        system.Now = Start.AddSeconds(5);
        Assert.Equal(Start.AddMinutes(90).AddSeconds(5), clock.GetUtcNow());
    }

    [Fact]
    public void Elapsed_time_measured_with_timestamps_includes_an_advance()
    {
        var clock = new NepheleClock(null, TimeProvider.System);
        var before = clock.GetTimestamp();
        clock.Advance(TimeSpan.FromDays(2));
        var elapsed = clock.GetElapsedTime(before);
        Assert.InRange(elapsed, TimeSpan.FromDays(2), TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void Advancing_by_a_negative_amount_is_rejected_and_changes_nothing()
    {
        var clock = new NepheleClock(null, new FixedTimeProvider(Start));
        clock.Advance(TimeSpan.FromMinutes(1));
        var error = Assert.Throws<ArgumentException>(() => clock.Advance(TimeSpan.FromSeconds(-1)));
        Assert.Contains("only moves forward", error.Message);
        Assert.Equal(TimeSpan.FromMinutes(1), clock.Offset);
    }

    [Fact]
    public void Advancing_beyond_the_maximum_offset_is_rejected()
    {
        var clock = new NepheleClock(null, new FixedTimeProvider(Start));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.MaxValue));
        clock.Advance(NepheleClock.MaxOffset);
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromTicks(1)));
        Assert.Equal(NepheleClock.MaxOffset, clock.Offset);
    }

    [Fact]
    public void The_offset_survives_reopening_the_data_directory()
    {
        using (var store = _dir.Open())
        {
            var clock = new NepheleClock(store);
            clock.Advance(TimeSpan.FromHours(3));
        }
        using (var store = _dir.Open())
        {
            var clock = new NepheleClock(store, new FixedTimeProvider(Start));
            Assert.Equal(TimeSpan.FromHours(3), clock.Offset);
            Assert.Equal(Start.AddHours(3), clock.GetUtcNow());
        }
    }

    [Fact]
    public void A_reset_of_the_state_keeps_the_clock_where_it_is()
    {
        using var store = SqliteStateStore.Open(null);
        new NepheleClock(store).Advance(TimeSpan.FromHours(1));
        store.Reset();
        Assert.Equal(TimeSpan.FromHours(1), new NepheleClock(store).Offset);
    }

    [Fact]
    public void An_unreadable_stored_offset_is_reported()
    {
        using var store = SqliteStateStore.Open(null);
        store.SetMeta(NepheleClock.OffsetMetaKey, "soon");
        var error = Assert.Throws<StateStoreException>(() => new NepheleClock(store));
        Assert.Contains("soon", error.Message);
    }

    [Fact]
    public void Advance_fires_timers_that_became_due_before_it_returns_and_leaves_later_ones()
    {
        var clock = new NepheleClock(null, TimeProvider.System);
        var fired = new List<string>();
        using var hour = clock.CreateTimer(_ => { lock (fired) fired.Add("1h"); }, null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);
        using var day = clock.CreateTimer(_ => { lock (fired) fired.Add("1d"); }, null, TimeSpan.FromDays(1), Timeout.InfiniteTimeSpan);

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Empty(fired);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["1h"], fired);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(["1h"], fired);
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(["1h", "1d"], fired);
        Assert.Equal(0, clock.ArmedTimerCount);
    }

    [Fact]
    public void A_periodic_timer_fires_once_per_advance_and_stays_scheduled()
    {
        var clock = new NepheleClock(null, TimeProvider.System);
        var count = 0;
        using var timer = clock.CreateTimer(_ => Interlocked.Increment(ref count), null, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10));

        clock.Advance(TimeSpan.FromMinutes(25));
        Assert.Equal(1, count);
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(1, count);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, count);
        Assert.Equal(1, clock.ArmedTimerCount);
    }

    [Fact]
    public void A_disposed_or_stopped_timer_does_not_fire()
    {
        var clock = new NepheleClock(null, TimeProvider.System);
        var fired = 0;
        var disposed = clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        using var stopped = clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        disposed.Dispose();
        Assert.True(stopped.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        Assert.False(disposed.Change(TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan));

        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, fired);
        Assert.Equal(0, clock.ArmedTimerCount);
    }

    [Fact]
    public async Task A_timer_still_fires_in_real_time_without_any_advance()
    {
        var clock = new NepheleClock(null, TimeProvider.System);
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timer = clock.CreateTimer(_ => fired.TrySetResult(), null, TimeSpan.FromMilliseconds(20), Timeout.InfiniteTimeSpan);
        await fired.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task Task_Delay_and_CancellationTokenSource_on_the_clock_complete_when_it_is_advanced()
    {
        var clock = new NepheleClock(null, TimeProvider.System);
        var delay = Task.Delay(TimeSpan.FromHours(1), clock);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(30), clock);
        Assert.False(delay.IsCompleted);

        clock.Advance(TimeSpan.FromMinutes(30));
        Assert.True(cts.IsCancellationRequested);
        Assert.False(delay.IsCompleted);

        clock.Advance(TimeSpan.FromMinutes(30));
        await delay.WaitAsync(Patience);
    }

    [Fact]
    public void A_timer_changed_after_an_advance_is_due_relative_to_the_new_time()
    {
        var clock = new NepheleClock(null, TimeProvider.System);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromDays(1));
        timer.Change(TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(0, fired);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, fired);
    }

    [Fact]
    public void Advance_raises_the_Advanced_event_with_the_amount()
    {
        var clock = new NepheleClock(null, new FixedTimeProvider(Start));
        var seen = new List<TimeSpan>();
        clock.Advanced += (_, by) => seen.Add(by);
        clock.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal([TimeSpan.FromSeconds(90)], seen);
    }

    [Fact]
    public void A_failing_timer_callback_does_not_stop_other_due_timers_and_is_reported()
    {
        var clock = new NepheleClock(null, TimeProvider.System);
        var fired = 0;
        using var failing = clock.CreateTimer(_ => throw new InvalidOperationException("sweeper broke"), null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);
        using var healthy = clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);

        var error = Assert.Throws<AggregateException>(() => clock.Advance(TimeSpan.FromMinutes(1)));
        Assert.IsType<InvalidOperationException>(Assert.Single(error.InnerExceptions));
        Assert.Equal(1, fired);
        Assert.Equal(TimeSpan.FromMinutes(1), clock.Offset);
    }

    [Fact]
    public void A_negative_due_time_or_period_is_rejected()
    {
        var clock = new NepheleClock(null, TimeProvider.System);
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(-2), Timeout.InfiniteTimeSpan));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.CreateTimer(_ => { }, null, TimeSpan.Zero, TimeSpan.FromSeconds(-2)));
    }

    [Fact]
    public void A_timer_due_in_a_year_fires_when_the_clock_is_advanced_a_year()
    {
        var clock = new NepheleClock(null, TimeProvider.System);
        var fired = 0;
        using var timer = clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromDays(365), TimeSpan.FromDays(365));
        using var never = clock.CreateTimer(_ => { }, null, TimeSpan.MaxValue, Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromDays(364));
        Assert.Equal(0, fired);
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, fired);
    }
}
