using System.Text.Json.Nodes;

namespace StockFlow.Jsonata.Suite;

/// <summary>Runs a case through the engine in this process, on a thread with room for deep recursion.</summary>
public static class InProcess
{
    private const int StackBytes = 16 * 1024 * 1024;

    // Cases without a time box still must not hang a test run.
    private static readonly TimeSpan DefaultTimeLimit = TimeSpan.FromSeconds(10);

    /// <summary>Compiles and evaluates the case's expression against its input and bindings.</summary>
    public static Outcome Run(SuiteCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var options = new JsonataOptions
        {
            MaxStackBytes = StackBytes - (2 * 1024 * 1024),
            MaxDepth = c.Depth != null && c.TimeLimitMs != null ? c.Depth.Value : 100_000,
            TimeLimit = c.TimeLimitMs is int ms && c.Depth != null ? TimeSpan.FromMilliseconds(ms) : DefaultTimeLimit,
        };
        Outcome? outcome = null;
        var thread = new Thread(() => outcome = Evaluate(c, options), StackBytes);
        thread.Start();
        thread.Join();
        return outcome!;
    }

    private static Outcome Evaluate(SuiteCase c, JsonataOptions options)
    {
        try
        {
            var input = c.InputJson == null ? null : JsonText.Parse(c.InputJson);
            var bindings = c.Bindings?.ToDictionary(kv => kv.Key, kv => JsonText.FromNode(kv.Value), StringComparer.Ordinal);
            var result = JsonataExpression.Compile(c.Expression).Evaluate(input, bindings, options);
            return result switch
            {
                null => Outcome.Undefined,
                _ => Outcome.Of(JsonNode.Parse(JsonText.Stringify(result))),
            };
        }
        catch (JsonataException e)
        {
            return Outcome.Failed(e.Code, e.Token, e.Message);
        }
#pragma warning disable CA1031 // a crash of the engine is one failed case, reported with its type
        catch (Exception e)
#pragma warning restore CA1031
        {
            var where = e.StackTrace?.Split('\n', 2)[0].Trim();
            return Outcome.Failed("(crash)", null, $"{e.GetType().Name}: {e.Message} {where}");
        }
    }
}
