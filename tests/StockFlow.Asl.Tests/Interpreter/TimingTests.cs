using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using StockFlow.Asl;
using StockFlow.Asl.Execution;
using StockFlow.Asl.Model;
using static StockFlow.Asl.Tests.Interpreter.Asl;

namespace StockFlow.Asl.Tests.Interpreter;

/// <summary>Wait states, back-offs and timeouts measured on a fake clock: exact to the millisecond.</summary>
public class TimingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 30, 0, TimeSpan.Zero);

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition(), "condition not reached in time");
    }

    /// <summary>Gives queued continuations a moment to run, so "nothing happened" is meaningful.</summary>
    private static Task Settle() => Task.Delay(50);

    private static (FakeTimeProvider Clock, ListSink Sink, ExecutionOptions Options) Setup(ITaskInvoker? invoker = null)
    {
        var clock = new FakeTimeProvider(T0);
        var sink = new ListSink();
        return (clock, sink, new ExecutionOptions { TimeProvider = clock, EventSink = sink, WaitScale = 1, TaskInvoker = invoker });
    }

    [Fact]
    public async Task Wait_Seconds_waits_exactly_that_long()
    {
        var (clock, sink, options) = Setup();
        var run = AslExecutor.RunAsync(StateMachineDefinition.Parse(Single("""{"Type":"Wait","Seconds":10,"End":true}""")), J("{}"), options);
        clock.Advance(TimeSpan.FromMilliseconds(9_999));
        await Settle();
        Assert.False(run.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var r = await run.WaitAsync(TimeSpan.FromSeconds(10));
        AssertSucceeded(r);
        var entered = r.Events.Single(e => e.Type == "WaitStateEntered").Timestamp;
        var exited = r.Events.Single(e => e.Type == "WaitStateExited").Timestamp;
        Assert.Equal(T0, entered);
        Assert.Equal(TimeSpan.FromSeconds(10), exited - entered);
    }

    [Fact]
    public async Task Wait_TimestampPath_waits_until_that_instant()
    {
        var (clock, _, options) = Setup();
        var def = Single("""{"Type":"Wait","TimestampPath":"$.until","End":true}""");
        var run = AslExecutor.RunAsync(StateMachineDefinition.Parse(def), J("""{"until":"2026-01-05T09:31:30Z"}"""), options);
        clock.Advance(TimeSpan.FromSeconds(89));
        await Settle();
        Assert.False(run.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        var r = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(T0.AddSeconds(90), r.Events.Single(e => e.Type == "WaitStateExited").Timestamp);
    }

    [Fact]
    public async Task Wait_with_a_past_timestamp_does_not_wait()
    {
        var (_, _, options) = Setup();
        var r = await AslExecutor.RunAsync(StateMachineDefinition.Parse(Single("""{"Type":"Wait","Timestamp":"2020-01-01T00:00:00Z","End":true}""")), J("{}"), options)
            .WaitAsync(TimeSpan.FromSeconds(10));
        AssertSucceeded(r);
    }

    [Fact]
    public async Task Wait_SecondsPath_reads_the_input_and_WaitScale_zero_skips_the_wait()
    {
        var (_, _, options) = Setup();
        var fast = new ExecutionOptions { TimeProvider = options.TimeProvider, WaitScale = 0 };
        var r = await AslExecutor.RunAsync(StateMachineDefinition.Parse(Single("""{"Type":"Wait","SecondsPath":"$.s","End":true}""")), J("""{"s":3600}"""), fast)
            .WaitAsync(TimeSpan.FromSeconds(10));
        AssertSucceeded(r);
    }

    [Fact]
    public async Task Retry_backs_off_by_IntervalSeconds_times_BackoffRate_capped_by_MaxDelaySeconds()
    {
        var invoker = DelegateInvoker.FailingThen(J("{}"), "E", "E", "E");
        var (clock, sink, options) = Setup(invoker);
        var def = Single("""
            {"Type":"Task","Resource":"r","Retry":[{"ErrorEquals":["E"],"IntervalSeconds":2,"BackoffRate":3,"MaxDelaySeconds":10,"MaxAttempts":3}],"End":true}
            """);
        var run = AslExecutor.RunAsync(StateMachineDefinition.Parse(def), J("{}"), options);
        int Scheduled() => sink.Events.Count(e => e.Type == "TaskScheduled");
        int Failed() => sink.Events.Count(e => e.Type == "TaskFailed");
        foreach (var (delaySeconds, expectedCount) in new[] { (2, 2), (6, 3), (10, 4) })
        {
            // The back-off timer starts after the failure is recorded; moving the fake clock before it exists would
            // start it late (this failed under load in CI). Wait for the failure, then give the timer a moment.
            await WaitForAsync(() => Failed() == expectedCount - 1);
            await Settle();
            clock.Advance(TimeSpan.FromSeconds(delaySeconds) - TimeSpan.FromMilliseconds(1));
            await Settle();
            Assert.Equal(expectedCount - 1, Scheduled());
            clock.Advance(TimeSpan.FromMilliseconds(1));
            await WaitForAsync(() => Scheduled() == expectedCount);
        }

        var r = await run.WaitAsync(TimeSpan.FromSeconds(10));
        AssertSucceeded(r);
        var times = r.Events.Where(e => e.Type == "TaskScheduled").Select(e => (e.Timestamp - T0).TotalSeconds).ToArray();
        Assert.Equal([0d, 2d, 8d, 18d], times);
    }

    [Fact]
    public async Task Full_jitter_waits_a_random_part_of_the_back_off()
    {
        var invoker = DelegateInvoker.FailingThen(J("{}"), "E");
        var (clock, sink, options) = Setup(invoker);
        options = new ExecutionOptions { TimeProvider = clock, EventSink = sink, WaitScale = 1, TaskInvoker = invoker, Random = new Random(7) };
        var expected = new Random(7).NextDouble() * 10;
        var def = Single("""{"Type":"Task","Resource":"r","Retry":[{"ErrorEquals":["E"],"IntervalSeconds":10,"JitterStrategy":"FULL"}],"End":true}""");
        var run = AslExecutor.RunAsync(StateMachineDefinition.Parse(def), J("{}"), options);
        clock.Advance(TimeSpan.FromSeconds(expected) - TimeSpan.FromMilliseconds(1));
        await Settle();
        Assert.Equal(1, sink.Events.Count(e => e.Type == "TaskScheduled"));
        clock.Advance(TimeSpan.FromMilliseconds(2));
        AssertSucceeded(await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task TimeoutSeconds_fails_a_slow_task_with_States_Timeout()
    {
        var invoker = new DelegateInvoker(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        });
        var (clock, _, options) = Setup(invoker);
        var run = AslExecutor.RunAsync(StateMachineDefinition.Parse(Single("""{"Type":"Task","Resource":"r","TimeoutSeconds":5,"End":true}""")), J("{}"), options);
        clock.Advance(TimeSpan.FromSeconds(5));
        var r = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("States.Timeout", r.Error);
        var timedOut = r.Events.Single(e => e.Type == "TaskTimedOut");
        Assert.Equal(T0.AddSeconds(5), timedOut.Timestamp);
        Assert.Equal(5, r.Events.Single(e => e.Type == "TaskScheduled").Body!["timeoutInSeconds"]!.GetValue<int>());
    }

    [Fact]
    public async Task HeartbeatSeconds_without_heartbeats_fails_with_States_HeartbeatTimeout()
    {
        var invoker = new DelegateInvoker(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        });
        var (clock, _, options) = Setup(invoker);
        var run = AslExecutor.RunAsync(StateMachineDefinition.Parse(Single("""{"Type":"Task","Resource":"r","TimeoutSeconds":60,"HeartbeatSeconds":10,"End":true}""")), J("{}"), options);
        clock.Advance(TimeSpan.FromSeconds(10));
        var r = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("States.HeartbeatTimeout", r.Error);
    }

    [Fact]
    public async Task State_machine_TimeoutSeconds_times_the_execution_out()
    {
        var (clock, _, options) = Setup();
        var def = """{"TimeoutSeconds":30,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}""";
        var run = AslExecutor.RunAsync(StateMachineDefinition.Parse(def), J("{}"), options);
        clock.Advance(TimeSpan.FromSeconds(30));
        var r = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ExecutionStatus.TimedOut, r.Status);
        Assert.Equal("TIMED_OUT", r.StatusName);
        Assert.Equal("ExecutionTimedOut", r.Events[^1].Type);
        Assert.Equal("States.Timeout", r.Error);
    }
}
