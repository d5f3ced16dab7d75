namespace StockFlow.Asl.Validation;

/// <summary>Which fields each state type accepts in JSONPath-mode ASL.</summary>
internal static class StateFields
{
    private static readonly string[] Common = ["Type", "Comment", "QueryLanguage"];
    private static readonly string[] Flow = ["Next", "End"];
    private static readonly string[] InputOutput = ["InputPath", "OutputPath"];
    private static readonly string[] ErrorHandling = ["Retry", "Catch"];

    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> ByType = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        ["Task"] = Set(Flow, InputOutput, ErrorHandling, ["Resource", "Parameters", "ResultSelector", "ResultPath", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials", "Assign"]),
        ["Pass"] = Set(Flow, InputOutput, ["Parameters", "ResultPath", "Result", "Assign"]),
        ["Choice"] = Set(InputOutput, ["Choices", "Default", "Assign"]),
        ["Wait"] = Set(Flow, InputOutput, ["Seconds", "SecondsPath", "Timestamp", "TimestampPath", "Assign"]),
        ["Succeed"] = Set(InputOutput),
        ["Fail"] = Set(["Error", "ErrorPath", "Cause", "CausePath"]),
        ["Parallel"] = Set(Flow, InputOutput, ErrorHandling, ["Branches", "Parameters", "ResultSelector", "ResultPath", "Assign"]),
        ["Map"] = Set(Flow, InputOutput, ErrorHandling,
        [
            "ItemProcessor", "Iterator", "ItemsPath", "ItemSelector", "Parameters", "ResultSelector", "ResultPath",
            "MaxConcurrency", "MaxConcurrencyPath", "ItemReader", "ItemBatcher", "ResultWriter",
            "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath",
            "Label", "Assign",
        ]),
    };

    /// <summary>State types that must say where to go next (Next or End).</summary>
    public static readonly IReadOnlySet<string> NeedTransition = new HashSet<string>(StringComparer.Ordinal) { "Task", "Pass", "Wait", "Parallel", "Map" };

    private static HashSet<string> Set(params string[][] groups) =>
        new(Common.Concat(groups.SelectMany(g => g)), StringComparer.Ordinal);
}
