using System.Globalization;
using System.Text.Json.Nodes;
using StockFlow.Asl;
using StockFlow.Asl.Execution;
using StockFlow.Asl.Model;
using StockFlow.Asl.Validation;

namespace StockFlow.Asl.Tests.Interpreter;

/// <summary>
/// Property: any definition the validator accepts runs to a recorded end — SUCCEEDED, FAILED with a named
/// error, or TIMED_OUT — never an exception out of the executor, never an interpreter defect, and always a
/// well-formed history. Definitions come from a small seeded generator (loops, retries, catches, maps...).
/// </summary>
public class RandomDefinitionPropertyTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private sealed class Generator(int seed)
    {
        private readonly Random rng = new(seed);

        private T Pick<T>(params T[] options) => options[rng.Next(options.Length)];

        private bool Chance(double p) => rng.NextDouble() < p;

        public JsonObject Machine(int depth = 0)
        {
            var count = rng.Next(1, depth == 0 ? 7 : 3);
            var states = new JsonObject();
            for (var i = 0; i < count; i++)
            {
                var last = i == count - 1;
                states[$"S{i}"] = State(i, count, last, depth);
            }

            var machine = new JsonObject { ["StartAt"] = "S0", ["States"] = states };
            if (depth == 0 && Chance(0.2)) machine["TimeoutSeconds"] = 30;
            return machine;
        }

        private string Target(int count) => $"S{rng.Next(count)}";

        private JsonObject State(int i, int count, bool last, int depth)
        {
            var type = last
                ? Pick("Pass", "Task", "Succeed", "Fail", "Map", "Parallel", "Wait")
                : Pick("Pass", "Task", "Choice", "Wait", "Map", "Parallel", "Pass", "Task");
            if (depth > 1 && type is "Map" or "Parallel") type = "Pass";
            var s = new JsonObject { ["Type"] = type };
            switch (type)
            {
                case "Pass":
                    if (Chance(0.3)) s["Result"] = Pick<JsonNode>(JsonValue.Create("x"), new JsonObject { ["k"] = 1 }, JsonValue.Create(5));
                    else if (Chance(0.4)) s["Parameters"] = Params();
                    if (Chance(0.3)) s["ResultPath"] = Pick<JsonNode?>(null, JsonValue.Create("$.r"), JsonValue.Create("$"));
                    if (Chance(0.15)) s["InputPath"] = Pick("$.items", "$.missing", "$");
                    if (Chance(0.2)) s["Assign"] = new JsonObject { ["v.$"] = Pick("$.n", "$.missing", "States.MathAdd($.n, 1)") };
                    break;
                case "Task":
                    s["Resource"] = "arn:aws:states:::lambda:invoke";
                    if (Chance(0.4)) s["Parameters"] = Params();
                    if (Chance(0.3)) s["ResultSelector"] = new JsonObject { ["p.$"] = Pick("$.Payload", "$", "$.missing") };
                    if (Chance(0.3)) s["ResultPath"] = Pick("$.result", "$");
                    if (Chance(0.2)) s["TimeoutSeconds"] = 5;
                    if (Chance(0.5))
                    {
                        s["Retry"] = new JsonArray(new JsonObject
                        {
                            ["ErrorEquals"] = new JsonArray(Pick("Custom", "States.ALL", "States.TaskFailed")),
                            ["MaxAttempts"] = rng.Next(0, 3),
                            ["IntervalSeconds"] = 1,
                        });
                    }

                    if (Chance(0.5))
                    {
                        s["Catch"] = new JsonArray(new JsonObject
                        {
                            ["ErrorEquals"] = new JsonArray(Pick("Custom", "States.ALL")),
                            ["ResultPath"] = Pick("$.error", "$"),
                            ["Next"] = Target(count),
                        });
                    }

                    break;
                case "Choice":
                    var rule = Pick<JsonObject>(
                        new JsonObject { ["Variable"] = "$.n", ["NumericLessThan"] = rng.Next(0, 10) },
                        new JsonObject { ["Variable"] = "$.s", ["StringEquals"] = "a" },
                        new JsonObject { ["Variable"] = "$.missing", ["IsPresent"] = true },
                        new JsonObject { ["Not"] = new JsonObject { ["Variable"] = "$.n", ["NumericEquals"] = 3 } });
                    rule["Next"] = Target(count);
                    s["Choices"] = new JsonArray(rule);
                    if (Chance(0.8)) s["Default"] = $"S{i + 1}";
                    return s;
                case "Wait":
                    if (Chance(0.5)) s["Seconds"] = rng.Next(0, 3);
                    else s["SecondsPath"] = Pick("$.n", "$.missing", "$.s");
                    break;
                case "Fail":
                    if (Chance(0.5)) s["Error"] = "Generated";
                    if (Chance(0.5)) s["Cause"] = "generated failure";
                    return s;
                case "Succeed":
                    return s;
                case "Map":
                    s["ItemsPath"] = Pick("$.items", "$.n", "$");
                    s["MaxConcurrency"] = rng.Next(0, 3);
                    s["ItemProcessor"] = Machine(depth + 1);
                    if (Chance(0.3)) s["ItemSelector"] = new JsonObject { ["i.$"] = "$$.Map.Item.Index", ["v.$"] = "$$.Map.Item.Value" };
                    if (Chance(0.3)) s["Catch"] = new JsonArray(new JsonObject { ["ErrorEquals"] = new JsonArray("States.ALL"), ["Next"] = Target(count) });
                    break;
                case "Parallel":
                    s["Branches"] = new JsonArray(Machine(depth + 1), Machine(depth + 1));
                    break;
            }

            if (last) s["End"] = true;
            else s["Next"] = Chance(0.15) ? Target(count) : $"S{i + 1}";
            return s;
        }

        private JsonObject Params() => new()
        {
            ["n.$"] = Pick("$.n", "$.missing", "States.MathAdd($.n, 2)", "$$.Execution.Name", "States.ArrayLength($.items)"),
            ["fixed"] = "v",
        };

        public JsonNode Input() => new JsonObject
        {
            ["n"] = rng.Next(0, 6),
            ["s"] = Pick("a", "b"),
            ["items"] = new JsonArray(1, 2, 3),
        };
    }

    /// <summary>A binding that, per call, answers, fails with a named error or throws something arbitrary.</summary>
    private sealed class ChaosInvoker(int seed) : ITaskInvoker
    {
        private readonly Random rng = new(seed);

        public Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
        {
            int roll;
            lock (rng) roll = rng.Next(10);
            return roll switch
            {
                < 5 => Task.FromResult<JsonNode?>(new JsonObject { ["Payload"] = invocation.Parameters?.DeepClone() }),
                5 or 6 => throw new StatesErrorException("Custom", "generated"),
                7 => throw new InvalidOperationException("handler crashed"),
                8 => Task.FromResult<JsonNode?>(null),
                _ => Task.FromResult<JsonNode?>(JsonValue.Create("plain")),
            };
        }
    }

    [Fact]
    public async Task Every_valid_generated_definition_ends_with_a_named_outcome()
    {
        var valid = 0;
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var seed = 1; seed <= 400; seed++)
        {
            var gen = new Generator(seed);
            var json = gen.Machine().ToJsonString();
            if (AslValidator.Validate(json).Count > 0) continue;
            valid++;
            StateMachineDefinition definition;
            try
            {
                definition = StateMachineDefinition.Parse(json);
            }
            catch (AslDefinitionException e)
            {
                Assert.Fail($"seed {seed}: the validator accepts but the interpreter refuses: {e.Message}\n{json}");
                return;
            }

            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var options = new ExecutionOptions { TaskInvoker = new ChaosInvoker(seed), WaitScale = 0, MaxHistoryEvents = 3_000 };
            ExecutionResult r;
            try
            {
                r = await AslExecutor.RunAsync(definition, gen.Input(), options, guard.Token);
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed}: the executor threw {e}\n{json}");
                return;
            }

            var key = r.StatusName + " " + r.Error;
            outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
            var context = $"seed {seed}: {r.StatusName} {r.Error}: {r.Cause}\n{json}";
            Assert.True(r.Status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.TimedOut, context);
            if (r.Status == ExecutionStatus.Failed)
            {
                // Only a Fail state without Error ends unnamed (as on AWS, the error is then absent, never "").
                Assert.True(r.Error is { Length: > 0 } || (r.Error is null && json.Contains("\"Type\":\"Fail\"", StringComparison.Ordinal)), context);
                Assert.False(r.Cause?.StartsWith(AslExecutor.InternalErrorPrefix, StringComparison.Ordinal) == true, context);
            }

            Assert.Equal("ExecutionStarted", r.Events[0].Type);
            Assert.StartsWith("Execution", r.Events[^1].Type, StringComparison.Ordinal);
            for (var i = 0; i < r.Events.Count; i++)
            {
                Assert.Equal(i + 1, r.Events[i].Id);
                Assert.True(r.Events[i].PreviousEventId < r.Events[i].Id, context);
            }
        }

        output.WriteLine(string.Join("\n", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Value,4} {o.Key}")));
        Assert.True(valid >= 100, $"only {valid.ToString(CultureInfo.InvariantCulture)} generated definitions validated; the generator needs fixing");
    }
}
