using StockFlow.Functions;

namespace StockFlow.Runtime.Local.Definitions;

/// <summary>
/// The names the local runtime substitutes for the definition's placeholders: shaped like the
/// ARNs and names Pulumi gives on AWS, in the local account 000000000000, so paths and
/// bindings see the same kind of values in both places.
/// </summary>
public static class LocalResourceNames
{
    /// <summary>The region in local ARNs.</summary>
    public const string Region = "us-east-1";
    /// <summary>The account id in local ARNs (the one AWS's local emulators use).</summary>
    public const string Account = "000000000000";
    /// <summary>The catalog database the crawler writes tables into and queries read.</summary>
    public const string GlueDatabase = "stockflow";
    /// <summary>The crawler over the raw and rejected tables (<c>${RawCrawlerName}</c>).</summary>
    public const string RawCrawler = "stockflow-raw-prices";
    /// <summary>The Glue job that builds <c>daily_metrics</c> (<c>${TransformJobName}</c>).</summary>
    public const string TransformJob = "stockflow-transform";
    /// <summary>The Athena work group the analysis queries run in (<c>${AthenaWorkGroup}</c>).</summary>
    public const string AthenaWorkGroup = "stockflow";
    /// <summary>The pipeline state machine's name.</summary>
    public const string StateMachineName = "stockflow-pipeline";

    /// <summary>The ARN of a StockFlow function by its short name (<c>plan</c> → <c>...:function:stockflow-plan</c>).</summary>
    public static string FunctionArn(string function) => $"arn:aws:lambda:{Region}:{Account}:function:stockflow-{function}";

    /// <summary>The ARN of a local state machine.</summary>
    public static string StateMachineArn(string name) => $"arn:aws:states:{Region}:{Account}:stateMachine:{name}";

    /// <summary>The ARN of an execution of a local state machine, as Step Functions forms it.</summary>
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
