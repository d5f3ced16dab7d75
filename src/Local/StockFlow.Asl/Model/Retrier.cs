using System.Text.Json.Nodes;

namespace StockFlow.Asl.Model;

/// <summary>One Retry entry, with ASL's defaults (1 s, 3 attempts, back-off 2).</summary>
public sealed class Retrier
{
    private Retrier(IReadOnlyList<string> errorEquals, double intervalSeconds, int maxAttempts, double backoffRate, int? maxDelaySeconds, bool fullJitter)
    {
        ErrorEquals = errorEquals;
        IntervalSeconds = intervalSeconds;
        MaxAttempts = maxAttempts;
        BackoffRate = backoffRate;
        MaxDelaySeconds = maxDelaySeconds;
        FullJitter = fullJitter;
    }

    /// <summary>The error names this entry retries (matched by <see cref="ErrorMatching.Matches"/>); never empty.</summary>
    public IReadOnlyList<string> ErrorEquals { get; }

    /// <summary>Seconds before the first retry (default 1).</summary>
    public double IntervalSeconds { get; }

    /// <summary>Retries at most (default 3); 0 means the error is never retried.</summary>
    public int MaxAttempts { get; }

    /// <summary>Factor each further retry's delay grows by (default 2.0, at least 1.0).</summary>
    public double BackoffRate { get; }

    /// <summary>Upper bound of a retry's delay in seconds; null means none.</summary>
    public int? MaxDelaySeconds { get; }

    /// <summary><c>"JitterStrategy": "FULL"</c>: each delay is drawn at random between 0 and <see cref="DelayBefore"/>; false (<c>NONE</c>, the default) waits the full delay.</summary>
    public bool FullJitter { get; }

    internal static Retrier Parse(DefinitionReader r)
    {
        var errors = r.StringList("ErrorEquals");
        if (errors.Count == 0) throw new AslDefinitionException(r.Child("ErrorEquals"), "'ErrorEquals' must be a non-empty array.");
        var interval = r.Integer("IntervalSeconds", 1) ?? 1;
        var max = r.Integer("MaxAttempts", 0) ?? 3;
        var backoff = r.Number("BackoffRate") ?? 2.0;
        if (backoff < 1.0) throw new AslDefinitionException(r.Child("BackoffRate"), "'BackoffRate' must be >= 1.0.");
        var maxDelay = r.Integer("MaxDelaySeconds", 1);
        var jitter = r.String("JitterStrategy") ?? "NONE";
        if (jitter is not "FULL" and not "NONE")
            throw new AslDefinitionException(r.Child("JitterStrategy"), "'JitterStrategy' must be FULL or NONE.");
        return new Retrier(errors, interval, max, backoff, maxDelay, jitter == "FULL");
    }

    /// <summary>Delay before retry number <paramref name="retryNumber"/> (1-based), before jitter.</summary>
    public TimeSpan DelayBefore(int retryNumber)
    {
        var seconds = IntervalSeconds * Math.Pow(BackoffRate, retryNumber - 1);
        if (MaxDelaySeconds is { } cap) seconds = Math.Min(seconds, cap);
        return TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.MaxValue.TotalSeconds / 2));
    }
}

/// <summary>One Catch entry: which errors, where the error output goes, and the next state.</summary>
public sealed class Catcher
{
    private Catcher(IReadOnlyList<string> errorEquals, string next, PathField resultPath, JsonObject? assign, JsonNode? output, bool hasOutput)
    {
        ErrorEquals = errorEquals;
        Next = next;
        ResultPath = resultPath;
        Assign = assign;
        Output = output;
        HasOutput = hasOutput;
    }

    /// <summary>The error names this entry catches (matched by <see cref="ErrorMatching.Matches"/>); never empty.</summary>
    public IReadOnlyList<string> ErrorEquals { get; }

    /// <summary>The state to go to when this entry catches an error (a sibling, checked when loading).</summary>
    public string Next { get; }

    /// <summary>Where the error output (<c>{"Error", "Cause"}</c>) goes in the state's input; the default <c>$</c> replaces it. Always <see cref="PathField.Default"/> in JSONata states.</summary>
    public PathField ResultPath { get; }

    /// <summary>Workflow variables set when this entry catches an error (instead of the state's own <c>Assign</c>); null when absent.</summary>
    public JsonObject? Assign { get; }

    /// <summary>JSONata: the state's output when this catcher handles the error (default: the error output).</summary>
    public JsonNode? Output { get; }

    /// <summary>JSONata: the entry has an <c>Output</c> field (see <see cref="Output"/>).</summary>
    public bool HasOutput { get; }

    internal static Catcher Parse(DefinitionReader r)
    {
        var errors = r.StringList("ErrorEquals");
        if (errors.Count == 0) throw new AslDefinitionException(r.Child("ErrorEquals"), "'ErrorEquals' must be a non-empty array.");
        return new Catcher(
            errors, r.RequiredString("Next"), r.Jsonata ? PathField.Default : r.Path("ResultPath"), r.Object("Assign"),
            r.Jsonata ? r.Raw("Output") : null, r.Jsonata && r.Has("Output"));
    }
}

/// <summary>Which errors a Retry/Catch entry sees: States.ALL matches all but the terminal ones.</summary>
public static class ErrorMatching
{
    /// <summary>
    /// AWS: States.ALL cannot catch States.DataLimitExceeded or States.Runtime; States.Runtime is never
    /// retried or caught, States.DataLimitExceeded only when named explicitly.
    /// </summary>
    public static bool Matches(IReadOnlyList<string> errorEquals, string error)
    {
        ArgumentNullException.ThrowIfNull(errorEquals);
        if (string.Equals(error, StatesErrors.Runtime, StringComparison.Ordinal)) return false;
        foreach (var e in errorEquals)
        {
            if (string.Equals(e, error, StringComparison.Ordinal)) return true;
            if (string.Equals(e, StatesErrors.All, StringComparison.Ordinal) && !IsTerminal(error)) return true;
        }

        return false;
    }

    /// <summary>True for the errors <c>States.ALL</c> does not match: <c>States.Runtime</c> and <c>States.DataLimitExceeded</c>.</summary>
    public static bool IsTerminal(string error) =>
        string.Equals(error, StatesErrors.Runtime, StringComparison.Ordinal)
        || string.Equals(error, StatesErrors.DataLimitExceeded, StringComparison.Ordinal);
}
