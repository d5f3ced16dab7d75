namespace StockFlow.Asl.Validation;

/// <summary>Which fields each state type accepts, in JSONPath states and in JSONata states.</summary>
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

    /// <summary>Fields of JSONata states: no paths, no templates with ".$"; Arguments, Output, Items and expressions instead.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> JsonataByType = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal)
    {
        ["Task"] = Set(Flow, ErrorHandling, ["Resource", "Arguments", "Output", "Assign", "TimeoutSeconds", "HeartbeatSeconds", "Credentials"]),
        ["Pass"] = Set(Flow, ["Output", "Assign"]),
        ["Choice"] = Set(["Choices", "Default", "Output", "Assign"]),
        ["Wait"] = Set(Flow, ["Seconds", "Timestamp", "Output", "Assign"]),
        ["Succeed"] = Set(["Output"]),
        ["Fail"] = Set(["Error", "Cause"]),
        ["Parallel"] = Set(Flow, ErrorHandling, ["Branches", "Arguments", "Output", "Assign"]),
        ["Map"] = Set(Flow, ErrorHandling,
        [
            "ItemProcessor", "Iterator", "Items", "ItemSelector", "ItemReader", "ItemBatcher", "ResultWriter",
            "MaxConcurrency", "ToleratedFailurePercentage", "ToleratedFailureCount", "Label", "Output", "Assign",
        ]),
    };

    /// <summary>JSONPath-only fields and what a JSONata state uses instead.</summary>
    public static readonly IReadOnlyDictionary<string, string> JsonataReplacement = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["InputPath"] = "read $states.input in the expressions",
        ["Parameters"] = "use 'Arguments' (or 'ItemSelector' in a Map)",
        ["ResultSelector"] = "use 'Output' with $states.result",
        ["ResultPath"] = "use 'Output' (and 'Assign')",
        ["OutputPath"] = "use 'Output'",
        ["Result"] = "use 'Output'",
        ["ItemsPath"] = "use 'Items'",
        ["SecondsPath"] = "use 'Seconds' with an expression",
        ["TimestampPath"] = "use 'Timestamp' with an expression",
        ["TimeoutSecondsPath"] = "use 'TimeoutSeconds' with an expression",
        ["HeartbeatSecondsPath"] = "use 'HeartbeatSeconds' with an expression",
        ["MaxConcurrencyPath"] = "use 'MaxConcurrency' with an expression",
        ["ToleratedFailurePercentagePath"] = "use 'ToleratedFailurePercentage' with an expression",
        ["ToleratedFailureCountPath"] = "use 'ToleratedFailureCount' with an expression",
        ["ErrorPath"] = "use 'Error' with an expression",
        ["CausePath"] = "use 'Cause' with an expression",
        ["MaxItemsPath"] = "use 'MaxItems' with an expression",
        ["MaxItemsPerBatchPath"] = "use 'MaxItemsPerBatch' with an expression",
        ["MaxInputBytesPerBatchPath"] = "use 'MaxInputBytesPerBatch' with an expression",
    };

    /// <summary>State types that must say where to go next (Next or End).</summary>
    public static readonly IReadOnlySet<string> NeedTransition = new HashSet<string>(StringComparer.Ordinal) { "Task", "Pass", "Wait", "Parallel", "Map" };

    private static HashSet<string> Set(params string[][] groups) =>
        new(Common.Concat(groups.SelectMany(g => g)), StringComparer.Ordinal);
}
