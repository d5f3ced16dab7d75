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

    public IReadOnlyList<string> ErrorEquals { get; }

    public double IntervalSeconds { get; }

    public int MaxAttempts { get; }

    public double BackoffRate { get; }

    public int? MaxDelaySeconds { get; }

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

    public IReadOnlyList<string> ErrorEquals { get; }

    public string Next { get; }

    public PathField ResultPath { get; }

    public JsonObject? Assign { get; }

    /// <summary>JSONata: the state's output when this catcher handles the error (default: the error output).</summary>
    public JsonNode? Output { get; }

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

    public static bool IsTerminal(string error) =>
        string.Equals(error, StatesErrors.Runtime, StringComparison.Ordinal)
        || string.Equals(error, StatesErrors.DataLimitExceeded, StringComparison.Ordinal);
}
