using StockFlow.Functions;

namespace StockFlow.Runtime.Local.Definitions;

/// <summary>
/// The names the local runtime substitutes for the definition's placeholders: shaped like the
/// ARNs and names Pulumi gives on AWS, in the local account 000000000000, so paths and
/// bindings see the same kind of values in both places.
/// </summary>
public static class LocalResourceNames
{
    public const string Region = "us-east-1";
    public const string Account = "000000000000";
    public const string GlueDatabase = "stockflow";
    public const string RawCrawler = "stockflow-raw-prices";
    public const string TransformJob = "stockflow-transform";
    public const string AthenaWorkGroup = "stockflow";
    public const string StateMachineName = "stockflow-pipeline";

    public static string FunctionArn(string function) => $"arn:aws:lambda:{Region}:{Account}:function:stockflow-{function}";

    public static string StateMachineArn(string name) => $"arn:aws:states:{Region}:{Account}:stateMachine:{name}";

    public static string ExecutionArn(string stateMachine, string execution) =>
        $"arn:aws:states:{Region}:{Account}:execution:{stateMachine}:{execution}";

    /// <summary>
    /// The definition's placeholders as they are locally: <c>${PlanFunctionArn}</c> and the like for every function of
    /// <see cref="FunctionHandlers"/>, the bucket, the crawler, the job, the work group, the database and the topic.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Substitutions(string bucket)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["LakeBucket"] = bucket,
            ["RawCrawlerName"] = RawCrawler,
            ["TransformJobName"] = TransformJob,
            ["AthenaWorkGroup"] = AthenaWorkGroup,
            ["GlueDatabase"] = GlueDatabase,
            ["FailureTopicArn"] = $"arn:aws:sns:{Region}:{Account}:stockflow-failures",
        };
        foreach (var function in FunctionHandlers.Names)
        {
            values[$"{char.ToUpperInvariant(function[0])}{function[1..]}FunctionArn"] = FunctionArn(function);
        }

        return values;
    }
}
