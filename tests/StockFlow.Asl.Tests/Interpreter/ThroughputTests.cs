using System.Text.Json.Nodes;
using StockFlow.Asl;
using StockFlow.Asl.Execution;
using StockFlow.Asl.Model;
using static StockFlow.Asl.Tests.Interpreter.Asl;

namespace StockFlow.Asl.Tests.Interpreter;

/// <summary>
/// Correctness of the large Map the runtime benchmark times (bench/StockFlow.Bench.Runtime); no timing here.
/// </summary>
public class ThroughputTests
{
    private static string MapOfPass(string mode) => """
        {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":0,
          "ItemProcessor":{"ProcessorConfig":{"Mode":"
        """.TrimEnd() + mode + """
        "},"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"v.$":"$.v"},"End":true}}},"End":true}}}
        """;

    private static JsonArray Items() =>
        new(Enumerable.Range(0, 10_000).Select(i => (JsonNode?)new JsonObject { ["v"] = i, ["extra"] = "dropped" }).ToArray());

    [Fact]
    public async Task A_distributed_map_of_10000_pass_states_keeps_every_item_in_order()
    {
        var r = await AslExecutor.RunAsync(StateMachineDefinition.Parse(MapOfPass("DISTRIBUTED")), Items(), new ExecutionOptions { WaitScale = 0 });
        AssertSucceeded(r);
        var output = r.Output!.AsArray();
        Assert.Equal(10_000, output.Count);
        Assert.All(Enumerable.Range(0, 10_000), i => AssertJson($$"""{"v":{{i}}}""", output[i]));
    }

    [Fact]
    public async Task An_inline_map_that_would_exceed_the_AWS_history_cap_fails_as_AWS_does()
    {
        var r = await AslExecutor.RunAsync(StateMachineDefinition.Parse(MapOfPass("INLINE")), Items(), new ExecutionOptions { WaitScale = 0 });
        Assert.Equal("States.Runtime", r.Error);
        Assert.Equal(ExecutionOptions.AwsMaxHistoryEvents, r.Events.Count);
    }
}
