using System.Text.Json.Nodes;

namespace StockFlow.Deploy.Tests.Infra;

/// <summary>
/// The IAM actions a state machine's role needs, derived from its definition's integrations as AWS
/// documents them ("IAM policies for integrated services" in the Step Functions guide). A Resource
/// with no rule here fails the derivation: a new integration must be added on purpose.
/// </summary>
internal static class StateMachinePermissions
{
    /// <summary>Vended-log delivery for the state machine's logging configuration.</summary>
    public static readonly string[] Logging =
    [
        "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
        "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
    ];

    /// <summary>X-Ray tracing (tracingConfiguration enabled).</summary>
    public static readonly string[] Tracing = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"];

    private static readonly string[] AthenaSync =
    [
        "athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults", "athena:StopQueryExecution",
        "athena:GetWorkGroup", "athena:GetDataCatalog",
        // Athena reads the tables through the Glue Data Catalog and writes results to S3 as the caller.
        "glue:GetDatabase", "glue:GetTable", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition",
        "s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:GetObject", "s3:PutObject",
        "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload",
    ];

    /// <summary>Every action, with the state (or map part) that needs it.</summary>
    public static SortedDictionary<string, SortedSet<string>> Derive(JsonObject definition)
    {
        var actions = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        Walk(definition, actions);
        foreach (var action in Logging.Concat(Tracing))
        {
            Add(actions, action, "(logging and tracing)");
        }

        return actions;
    }

    private static void Walk(JsonObject machine, SortedDictionary<string, SortedSet<string>> actions)
    {
        foreach (var (name, node) in machine["States"]!.AsObject())
        {
            var state = node!.AsObject();
            switch (state["Type"]?.GetValue<string>())
            {
                case "Task":
                    foreach (var action in ForTask(state))
                    {
                        Add(actions, action, name);
                    }

                    break;
                case "Map":
                    var processor = (state["ItemProcessor"] ?? state["Iterator"])!.AsObject();
                    if (processor["ProcessorConfig"]?["Mode"]?.GetValue<string>() == "DISTRIBUTED")
                    {
                        // A Distributed Map starts its children as executions of this state machine.
                        foreach (var action in new[] { "states:StartExecution", "states:DescribeExecution", "states:StopExecution" })
                        {
                            Add(actions, action, name);
                        }
                    }

                    if (state["ItemReader"]?["Resource"]?.GetValue<string>() is { } reader)
                    {
                        foreach (var action in ForResource(reader, null))
                        {
                            Add(actions, action, $"{name}.ItemReader");
                        }
                    }

                    if (state["ResultWriter"]?["Resource"]?.GetValue<string>() is { } writer)
                    {
                        foreach (var action in ForResource(writer, null))
                        {
                            Add(actions, action, $"{name}.ResultWriter");
                        }
                    }

                    Walk(processor, actions);
                    break;
                case "Parallel":
                    foreach (var branch in state["Branches"]!.AsArray())
                    {
                        Walk(branch!.AsObject(), actions);
                    }

                    break;
            }
        }
    }

    private static IEnumerable<string> ForTask(JsonObject state) =>
        ForResource(state["Resource"]!.GetValue<string>(), (state["Parameters"] ?? state["Arguments"]) as JsonObject);

    public static IEnumerable<string> ForResource(string resource, JsonObject? parameters)
    {
        if (resource.StartsWith("arn:aws:lambda:", StringComparison.Ordinal) || resource.EndsWith("FunctionArn}", StringComparison.Ordinal))
        {
            return ["lambda:InvokeFunction"];
        }

        const string prefix = "arn:aws:states:::";
        if (!resource.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"No IAM rule for Task resource '{resource}': add one to StateMachinePermissions.");
        }

        var integration = resource[prefix.Length..];
        if (integration.StartsWith("aws-sdk:", StringComparison.Ordinal))
        {
            // arn:aws:states:::aws-sdk:<service>:<apiAction> needs <iam prefix>:<ApiAction>.
            var parts = integration.Split(':');
            var service = parts[1] switch { "sfn" => "states", var s => s };
            var action = parts[2].Split('.')[0];
            return [$"{service}:{char.ToUpperInvariant(action[0])}{action[1..]}"];
        }

        return integration switch
        {
            "lambda:invoke" or "lambda:invoke.waitForTaskToken" => ["lambda:InvokeFunction"],
            "glue:startJobRun" => ["glue:StartJobRun"],
            "glue:startJobRun.sync" => ["glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"],
            "athena:startQueryExecution.sync" => IsExecute(parameters) ? [.. AthenaSync, "athena:GetPreparedStatement"] : AthenaSync,
            "sns:publish" => ["sns:Publish"],
            "s3:getObject" => ["s3:GetObject"],
            "s3:listObjectsV2" => ["s3:ListBucket"],
            "s3:putObject" => ["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"],
            "states:startExecution" => ["states:StartExecution"],
            "states:startExecution.sync" or "states:startExecution.sync:2" =>
                ["states:StartExecution", "states:DescribeExecution", "states:StopExecution", "events:PutTargets", "events:PutRule", "events:DescribeRule"],
            _ => throw new InvalidOperationException($"No IAM rule for Task resource '{resource}': add one to StateMachinePermissions."),
        };
    }

    // EXECUTE <prepared statement> needs the right to read the statement.
    private static bool IsExecute(JsonObject? parameters) =>
        parameters?["QueryString.$"]?.GetValue<string>().Contains("EXECUTE", StringComparison.Ordinal) == true
        || parameters?["QueryString"]?.GetValue<string>().TrimStart().StartsWith("EXECUTE", StringComparison.OrdinalIgnoreCase) == true;

    private static void Add(SortedDictionary<string, SortedSet<string>> actions, string action, string state)
    {
        if (!actions.TryGetValue(action, out var states))
        {
            actions[action] = states = new SortedSet<string>(StringComparer.Ordinal);
        }

        states.Add(state);
    }
}
