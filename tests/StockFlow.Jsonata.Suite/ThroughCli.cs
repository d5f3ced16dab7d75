using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StockFlow.Jsonata.Suite;

/// <summary>
/// Runs a case through the real command, one process per case:
/// <c>stockflow asl eval --query-language jsonata --expression=&lt;expr&gt; [--input @file] [--bindings @file]</c>.
/// The CLI prints <c>{"value":...}</c>, <c>{"undefined":true}</c> or <c>{"error":{"code","message","position"}}</c>;
/// it names no token, so token checks are the in-process run's.
/// </summary>
public sealed class ThroughCli(string stockflow, string workFolder)
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs one case; <paramref name="index"/> keeps its temporary files apart from concurrent ones.</summary>
    public async Task<Outcome> RunAsync(SuiteCase c, int index)
    {
        ArgumentNullException.ThrowIfNull(c);
        var start = new ProcessStartInfo(stockflow)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "asl", "eval", "--query-language", "jsonata" })
        {
            start.ArgumentList.Add(arg);
        }

        // "--expression=<text>": an expression starting with '-' or '@' stays the option's value (not an option or a response file).
        start.ArgumentList.Add("--expression=" + c.Expression);
        if (c.InputJson != null)
        {
            var inputFile = Path.Combine(workFolder, $"input-{index}.json");
            await File.WriteAllTextAsync(inputFile, c.InputJson).ConfigureAwait(false);
            start.ArgumentList.Add("--input");
            start.ArgumentList.Add("@" + inputFile);
        }

        if (c.Bindings is { Count: > 0 })
        {
            var bindingsFile = Path.Combine(workFolder, $"bindings-{index}.json");
            await File.WriteAllTextAsync(bindingsFile, c.Bindings.ToJsonString()).ConfigureAwait(false);
            start.ArgumentList.Add("--bindings");
            start.ArgumentList.Add("@" + bindingsFile);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{stockflow} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ProcessTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return Outcome.Failed("(cli)", null, $"no answer within {ProcessTimeout.TotalSeconds} s");
        }

        return Parse(await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), process.ExitCode);
    }

    /// <summary>Reads the command's printed answer.</summary>
    public static Outcome Parse(string stdout, string stderr, int exitCode)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        JsonObject? printed;
        try
        {
            printed = JsonNode.Parse(stdout.Trim()) as JsonObject;
        }
        catch (JsonException)
        {
            printed = null;
        }

        if (printed == null)
        {
            return Outcome.Failed("(cli)", null, $"exit {exitCode}: {stdout.Trim()} {stderr?.Trim()}".Trim());
        }

        if (printed.TryGetPropertyValue("value", out var value))
        {
            return Outcome.Of(value);
        }

        if (printed.ContainsKey("undefined"))
        {
            return Outcome.Undefined;
        }

        var error = printed["error"];
        return Outcome.Failed(error?["code"]?.GetValue<string>() ?? "(cli)", null, error?["message"]?.GetValue<string>());
    }
}
