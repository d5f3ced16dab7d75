using System.Diagnostics;
using System.Text.Json.Nodes;
using StockFlow.Asl;
using Xunit.Abstractions;
using static StockFlow.Asl.Tests.Interpreter.Asl;

namespace StockFlow.Asl.Tests.Interpreter;

/// <summary>
/// A coarse guard against regressions in the hot path (a Map of Pass states). The real measurement is the
/// benchmark project; the floor here is far below its target so a loaded CI machine does not flake.
/// </summary>
public class ThroughputTests(ITestOutputHelper output)
{
    private static string MapOfPass(string mode) => """
        {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":0,
          "ItemProcessor":{"ProcessorConfig":{"Mode":"
        """.TrimEnd() + mode + """
        "},"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"v.$":"$.v"},"End":true}}},"End":true}}}
        """;

    [Theory]
    [InlineData("INLINE")]
    [InlineData("DISTRIBUTED")]
    public async Task A_map_of_10000_pass_states_runs_quickly(string mode)
    {
        var items = new JsonArray(Enumerable.Range(0, 10_000).Select(i => (JsonNode?)new JsonObject { ["v"] = i }).ToArray());
        var def = StateMachineDefinition.Parse(MapOfPass(mode));
        var options = new ExecutionOptions { WaitScale = 0, MaxHistoryEvents = 100_000 };
        await AslExecutor.RunAsync(def, items, options); // warm-up
        var sw = Stopwatch.StartNew();
        var r = await AslExecutor.RunAsync(def, items, options);
        sw.Stop();
        AssertSucceeded(r);
        Assert.Equal(10_000, r.Output!.AsArray().Count);
        var perSecond = 10_001 / sw.Elapsed.TotalSeconds;
        output.WriteLine($"{mode}: {sw.ElapsedMilliseconds} ms, {perSecond:F0} state transitions/s, {r.Events.Count} events");
        Assert.True(perSecond > 5_000, $"only {perSecond:F0} transitions/s");
    }

    [Fact]
    public async Task An_inline_map_that_would_exceed_the_AWS_history_cap_fails_as_AWS_does()
    {
        var items = new JsonArray(Enumerable.Range(0, 10_000).Select(i => (JsonNode?)new JsonObject { ["v"] = i }).ToArray());
        var r = await AslExecutor.RunAsync(StateMachineDefinition.Parse(MapOfPass("INLINE")), items, new ExecutionOptions { WaitScale = 0 });
        Assert.Equal("States.Runtime", r.Error);
        Assert.Equal(ExecutionOptions.AwsMaxHistoryEvents, r.Events.Count);
    }
}
