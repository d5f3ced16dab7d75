using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using StockFlow.Cli.Commands;

namespace StockFlow.Deploy.Tests.Infra;

/// <summary>
/// The Pulumi program checked without a cloud: it parses, its references and config resolve, it
/// covers every placeholder and resource the state machine definition names (read from the repo,
/// so the tests follow the definition), its IAM is least privilege, and the substituted definition validates.
/// </summary>
public sealed partial class PulumiProgramTests
{
    private static readonly PulumiProgram Program = PulumiProgram.Load();
    private static readonly string DefinitionText = File.ReadAllText(RepoPaths.File("statemachine", "pipeline.asl.json"));

    // AWS provider v7 types this program may use; the deprecated V2 / legacy names are refused below.
    private static readonly HashSet<string> CurrentTypes =
    [
        "aws:s3:Bucket", "aws:s3:BucketVersioning", "aws:s3:BucketServerSideEncryptionConfiguration", "aws:s3:BucketPublicAccessBlock",
        "aws:s3:BucketPolicy", "aws:s3:BucketLifecycleConfiguration", "aws:s3:BucketNotification", "aws:s3:BucketObjectv2",
        "aws:cloudwatch:LogGroup", "aws:cloudwatch:MetricAlarm", "aws:cloudwatch:EventRule", "aws:cloudwatch:EventTarget",
        "aws:iam:Role", "aws:iam:RolePolicy", "aws:lambda:Function", "aws:lambda:Permission", "aws:glue:CatalogDatabase", "aws:glue:Classifier",
        "aws:glue:Crawler", "aws:glue:Job", "aws:athena:Workgroup", "aws:athena:PreparedStatement", "aws:athena:NamedQuery",
        "aws:sns:Topic", "aws:sns:TopicSubscription", "aws:sfn:StateMachine", "aws:scheduler:Schedule",
    ];

    private static readonly Dictionary<string, string> PlaceholderTypes = new(StringComparer.Ordinal)
    {
        ["FunctionArn"] = "aws:lambda:Function",
        ["CrawlerName"] = "aws:glue:Crawler",
        ["JobName"] = "aws:glue:Job",
        ["WorkGroup"] = "aws:athena:Workgroup",
        ["TopicArn"] = "aws:sns:Topic",
        ["Bucket"] = "aws:s3:Bucket",
        ["Database"] = "aws:glue:CatalogDatabase",
    };

    private static IReadOnlySet<string> Placeholders() =>
        PlaceholderPattern().Matches(DefinitionText).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>The std:replace steps from the read definition to the state machine's definition, in order.</summary>
    private static List<(string Variable, string Search, string Replace)> ReplaceChain()
    {
        var definition = Program.ResourcesOfType("aws:sfn:StateMachine").Single().Resource["properties"]!["definition"]!.GetValue<string>();
        var current = PulumiProgram.WholeReference(definition) ?? throw new InvalidOperationException("definition is not a variable reference");
        var steps = new List<(string, string, string)>();
        while (true)
        {
            var node = Program.Variables[current] ?? throw new InvalidOperationException($"variable {current} is not defined");
            if (node is JsonValue alias)
            {
                current = PulumiProgram.WholeReference(alias.GetValue<string>())!;
                continue;
            }

            if (node["fn::readFile"] is { } file)
            {
                Assert.Equal("../statemachine/pipeline.asl.json", file.GetValue<string>());
                break;
            }

            var invoke = node["fn::invoke"]!;
            Assert.Equal("std:replace", invoke["function"]!.GetValue<string>());
            Assert.Equal("result", invoke["return"]!.GetValue<string>());
            var arguments = invoke["arguments"]!;
            steps.Add((current, arguments["search"]!.GetValue<string>(), arguments["replace"]!.GetValue<string>()));
            current = PulumiProgram.WholeReference(arguments["text"]!.GetValue<string>())!;
        }

        steps.Reverse();
        return steps;
    }

    [Fact]
    public void The_project_points_at_the_program_and_the_program_has_its_sections()
    {
        var project = PulumiProgram.ReadYaml(File.ReadAllText(RepoPaths.File("Pulumi.yaml")))!;
        Assert.Equal("yaml", project["runtime"]!.GetValue<string>());
        Assert.Equal("infra/", project["main"]!.GetValue<string>());
        Assert.NotEmpty(Program.Config);
        Assert.NotEmpty(Program.Resources);
        Assert.NotEmpty(Program.Outputs);
    }

    [Fact]
    public void Every_reference_names_a_config_key_variable_resource_or_pulumi()
    {
        var known = Program.Config.Select(c => c.Key).Concat(Program.Variables.Select(v => v.Key)).Concat(Program.Resources.Select(r => r.Key))
            .Append("pulumi").ToHashSet(StringComparer.Ordinal);
        var unresolved = PulumiProgram.Strings(Program.Root)
            .SelectMany(s => PulumiProgram.References(s.Value).Select(r => (s.Path, Reference: r)))
            .Where(r => !known.Contains(PulumiProgram.RootName(r.Reference)))
            .Select(r => $"{r.Path}: ${{{r.Reference}}}")
            .ToList();
        Assert.True(unresolved.Count == 0, string.Join('\n', unresolved));
    }

    [Fact]
    public void The_example_stack_sets_only_declared_keys_and_every_key_without_a_default()
    {
        var stack = PulumiProgram.ReadYaml(File.ReadAllText(RepoPaths.File("Pulumi.dev.yaml")))!["config"]!.AsObject();
        var project = PulumiProgram.ReadYaml(File.ReadAllText(RepoPaths.File("Pulumi.yaml")))!["name"]!.GetValue<string>();
        foreach (var (key, _) in stack)
        {
            var parts = key.Split(':');
            Assert.True(parts[0] == "aws" || (parts[0] == project && Program.Config.ContainsKey(parts[1])), $"{key} is not a config key of the program");
        }

        foreach (var (key, declaration) in Program.Config)
        {
            if (declaration?["default"] is null)
            {
                Assert.True(stack.ContainsKey($"{project}:{key}"), $"{key} has no default and the example stack does not set it");
            }
        }

        Assert.True(stack.ContainsKey("aws:region"));
    }

    [Fact]
    public void Only_current_resource_types_are_used()
    {
        var types = Program.Resources.Select(r => (r.Key, Type: r.Value!["type"]!.GetValue<string>())).ToList();
        Assert.DoesNotContain(types, t => t.Type.EndsWith("V2", StringComparison.Ordinal) || t.Type == "aws:s3:BucketObject");
        var unknown = types.Where(t => !CurrentTypes.Contains(t.Type)).Select(t => $"{t.Key}: {t.Type}").ToList();
        Assert.True(unknown.Count == 0, "Not in the checked list of current v7 types: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Every_placeholder_of_the_definition_is_replaced_by_a_resource_of_the_right_kind()
    {
        var chain = ReplaceChain();
        var replaced = chain.ToDictionary(s => PlaceholderPattern().Match(s.Search.Replace("$${", "${", StringComparison.Ordinal)).Groups[1].Value, s => s.Replace);
        var placeholders = Placeholders();
        Assert.NotEmpty(placeholders);
        foreach (var placeholder in placeholders)
        {
            Assert.True(replaced.TryGetValue(placeholder, out var value), $"${{{placeholder}}} of the definition has no std:replace step");
            var reference = PulumiProgram.WholeReference(value) ?? throw new InvalidOperationException($"{placeholder} is replaced by '{value}', not a resource output");
            var resource = PulumiProgram.RootName(reference);
            Assert.True(Program.Resources.ContainsKey(resource), $"{placeholder} names resource {resource}, which the program does not define");
            var kind = PlaceholderTypes.Single(k => placeholder.EndsWith(k.Key, StringComparison.Ordinal));
            Assert.Equal(kind.Value, Program.Resources[resource]!["type"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Each_function_the_bootstrap_serves_is_deployed_from_its_zip_with_its_own_role_log_group_memory_and_timeout()
    {
        var functions = Program.ResourcesOfType("aws:lambda:Function").ToList();
        var roles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handler in await BootstrapHandlersAsync())
        {
            var (name, function) = functions.SingleOrDefault(f => f.Resource["properties"]!["handler"]!.GetValue<string>() == handler);
            Assert.True(name is not null, $"No aws:lambda:Function serves handler {handler}");
            var properties = function["properties"]!;
            Assert.Equal("provided.al2023", properties["runtime"]!.GetValue<string>());
            Assert.NotNull(properties["memorySize"]);
            Assert.NotNull(properties["timeout"]);
            Assert.Equal("Active", properties["tracingConfig"]!["mode"]!.GetValue<string>());
            Assert.Equal("JSON", properties["loggingConfig"]!["logFormat"]!.GetValue<string>());

            var code = PulumiProgram.RootName(PulumiProgram.WholeReference(properties["s3Key"]!.GetValue<string>())!);
            Assert.Equal($"../artifacts/lambda/{handler}.zip", Program.Properties(code)["source"]!["fn::fileAsset"]!.GetValue<string>());

            var logGroup = PulumiProgram.RootName(PulumiProgram.WholeReference(properties["loggingConfig"]!["logGroup"]!.GetValue<string>())!);
            Assert.NotNull(Program.Properties(logGroup)["retentionInDays"]);

            var role = PulumiProgram.RootName(PulumiProgram.WholeReference(properties["role"]!.GetValue<string>())!);
            Assert.True(roles.Add(role), $"{name} shares its role {role}");
        }
    }

    [Fact]
    public void Every_query_file_has_a_prepared_statement_and_a_named_query_with_its_text()
    {
        var statements = Program.ResourcesOfType("aws:athena:PreparedStatement").Select(s => s.Resource["properties"]!).ToList();
        var named = Program.ResourcesOfType("aws:athena:NamedQuery").Select(s => s.Resource["properties"]!).ToList();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.File("sql", "queries"), "*.sql"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var path = $"../sql/queries/{Path.GetFileName(file)}";
            Assert.Contains(statements, s => s["name"]!.GetValue<string>() == name && s["queryStatement"]!["fn::readFile"]!.GetValue<string>() == path);
            Assert.Contains(named, s => s["name"]!.GetValue<string>() == name && s["query"]!["fn::readFile"]!.GetValue<string>() == path);
        }

        var workgroup = Program.ResourcesOfType("aws:athena:Workgroup").Single().Resource["properties"]!["configuration"]!;
        Assert.Equal("true", workgroup["enforceWorkgroupConfiguration"]!.GetValue<string>());
        Assert.Equal("Athena engine version 3", workgroup["engineVersion"]!["selectedEngineVersion"]!.GetValue<string>());
        Assert.NotNull(workgroup["bytesScannedCutoffPerQuery"]);
        Assert.EndsWith("/results/", workgroup["resultConfiguration"]!["outputLocation"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_artifact_the_glue_job_reads_is_uploaded_from_the_package()
    {
        var uploaded = Program.ResourcesOfType("aws:s3:BucketObjectv2").Select(o => o.Resource["properties"]!)
            .ToDictionary(p => p["key"]!.GetValue<string>(), p => p["source"]!["fn::fileAsset"]!.GetValue<string>());
        foreach (var script in Directory.EnumerateFiles(RepoPaths.File("infra", "glue"), "*.py"))
        {
            var key = $"artifacts/glue/{Path.GetFileName(script)}";
            Assert.True(uploaded.TryGetValue(key, out var source), $"{key} is not uploaded");
            Assert.Equal($"../{key}", source);
        }

        foreach (var sql in Directory.EnumerateFiles(RepoPaths.File("sql", "transform"), "*.sql"))
        {
            Assert.Contains($"artifacts/sql/transform/{Path.GetFileName(sql)}", uploaded.Keys);
        }
    }

    [Fact]
    public void The_crawler_makes_one_table_per_dataset_with_a_header_reading_classifier()
    {
        var crawler = Program.ResourcesOfType("aws:glue:Crawler").Single().Resource["properties"]!;
        var configuration = crawler["configuration"]!["fn::toJSON"]!;
        Assert.Equal("CombineCompatibleSchemas", configuration["Grouping"]!["TableGroupingPolicy"]!.GetValue<string>());
        Assert.NotNull(configuration["Grouping"]!["TableLevelConfiguration"]);
        Assert.Equal("InheritFromTable", configuration["CrawlerOutput"]!["Partitions"]!["AddOrUpdateBehavior"]!.GetValue<string>());
        var classifier = PulumiProgram.RootName(PulumiProgram.WholeReference(crawler["classifiers"]![0]!.GetValue<string>())!);
        Assert.Equal("PRESENT", Program.Properties(classifier)["csvClassifier"]!["containsHeader"]!.GetValue<string>());
    }

    [Fact]
    public void No_policy_allows_a_wildcard_action_and_a_wildcard_resource_always_says_why()
    {
        foreach (var (name, _) in Program.ResourcesOfType("aws:iam:RolePolicy"))
        {
            foreach (var statement in Program.PolicyStatements(name))
            {
                Assert.Equal("Allow", statement["Effect"]!.GetValue<string>());
                Assert.All(PulumiProgram.StringOrList(statement["Action"]), action => Assert.DoesNotContain('*', action));
            }
        }

        // A bucket policy may only use a wildcard to deny (the TLS-only rule), which grants nothing.
        foreach (var (name, _) in Program.ResourcesOfType("aws:s3:BucketPolicy"))
        {
            Assert.All(Program.PolicyStatements(name).Where(s => PulumiProgram.StringOrList(s["Action"]).Any(a => a.Contains('*', StringComparison.Ordinal))),
                s => Assert.Equal("Deny", s["Effect"]!.GetValue<string>()));
        }

        var lines = Program.Text.Split('\n');
        var wildcards = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (WildcardResource().IsMatch(lines[i]))
            {
                wildcards++;
                Assert.True(i > 0 && lines[i - 1].TrimStart().StartsWith('#'), $"infra/Main.yaml line {i + 1}: a \"*\" resource without a comment on the line above saying why");
            }
        }

        Assert.True(wildcards > 0, "The check found no wildcard resource at all (logging needs one): is it still reading the right file?");
    }

    [Fact]
    public void The_state_machine_role_allows_exactly_what_the_definitions_integrations_need()
    {
        var definition = JsonNode.Parse(DefinitionText)!.AsObject();
        var derived = StateMachinePermissions.Derive(definition);
        var role = PulumiProgram.RootName(PulumiProgram.WholeReference(
            Program.ResourcesOfType("aws:sfn:StateMachine").Single().Resource["properties"]!["roleArn"]!.GetValue<string>())!);
        var policy = Program.ResourcesOfType("aws:iam:RolePolicy")
            .Single(p => PulumiProgram.RootName(PulumiProgram.WholeReference(p.Resource["properties"]!["role"]!.GetValue<string>())!) == role).Name;
        var granted = Program.PolicyStatements(policy).SelectMany(s => PulumiProgram.StringOrList(s["Action"])).ToHashSet(StringComparer.Ordinal);

        var missing = derived.Where(a => !granted.Contains(a.Key)).Select(a => $"{a.Key} (needed by {string.Join(", ", a.Value)})").ToList();
        var extra = granted.Where(a => !derived.ContainsKey(a)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "The state machine role lacks:\n" + string.Join('\n', missing));
        Assert.True(extra.Count == 0, "The state machine role allows what the definition does not use:\n" + string.Join('\n', extra));
    }

    [Fact]
    public void The_state_machine_role_scopes_function_invocation_to_the_functions_the_definition_names()
    {
        var policy = Program.ResourcesOfType("aws:iam:RolePolicy").Single(p => p.Name == "stateMachinePolicy").Name;
        var invoke = Program.PolicyStatements(policy).Single(s => PulumiProgram.StringOrList(s["Action"]).Contains("lambda:InvokeFunction"));
        var resources = PulumiProgram.StringOrList(invoke["Resource"]).ToList();
        foreach (var step in ReplaceChain().Where(s => s.Search.EndsWith("FunctionArn}", StringComparison.Ordinal)))
        {
            Assert.Contains(step.Replace, resources);
        }
    }

    [Fact]
    public async Task The_definition_with_every_placeholder_substituted_passes_asl_validate()
    {
        var substituted = DefinitionText;
        foreach (var (_, search, replace) in ReplaceChain())
        {
            var resource = PulumiProgram.RootName(PulumiProgram.WholeReference(replace)!);
            var type = Program.Resources[resource]!["type"]!.GetValue<string>();
            substituted = substituted.Replace(search.Replace("$${", "${", StringComparison.Ordinal), ValueShapedLike(type, resource), StringComparison.Ordinal);
        }

        Assert.DoesNotMatch(PlaceholderPattern(), substituted);
        var path = Path.Combine(Path.GetTempPath(), $"stockflow-substituted-{Guid.NewGuid():N}.asl.json");
        await File.WriteAllTextAsync(path, substituted);
        try
        {
            using var output = new StringWriter();
            var exitCode = await StockFlowCommandLine.Parse(["asl", "validate", path])
                .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = output });
            Assert.True(exitCode == 0, output.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_provider_api_key_is_a_secret_that_reaches_the_ingest_function_and_is_nowhere_in_plain_text()
    {
        Assert.Equal("true", Program.Config["stooqApiKey"]!["secret"]!.GetValue<string>());
        var ingest = Program.ResourcesOfType("aws:lambda:Function").Single(f => f.Resource["properties"]!["handler"]!.GetValue<string>() == "ingest");
        Assert.Equal("${stooqApiKey}", ingest.Resource["properties"]!["environment"]!["variables"]!["STOCKFLOW_STOOQ_API_KEY"]!.GetValue<string>());
        Assert.DoesNotContain("stooqApiKey:", File.ReadAllText(RepoPaths.File("Pulumi.dev.yaml")).Split('\n').Where(l => !l.TrimStart().StartsWith('#')).Select(l => l.Trim()));
    }

    [Fact]
    public void Schedules_alarms_and_outputs_are_in_place()
    {
        var schedule = Program.ResourcesOfType("aws:scheduler:Schedule").Single().Resource["properties"]!;
        Assert.Equal("${scheduleCron}", schedule["scheduleExpression"]!.GetValue<string>());
        Assert.Equal("${scheduleTimezone}", schedule["scheduleExpressionTimezone"]!.GetValue<string>());
        Assert.StartsWith("cron(", Program.Config["scheduleCron"]!["default"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("MON-FRI", Program.Config["scheduleCron"]!["default"]!.GetValue<string>(), StringComparison.Ordinal);

        var rule = Program.Properties("landingUploadRule")["eventPattern"]!["fn::toJSON"]!;
        Assert.Equal("Object Created", rule["detail-type"]![0]!.GetValue<string>());
        Assert.StartsWith("landing/", rule["detail"]!["object"]!["key"]![0]!["wildcard"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("true", Program.ResourcesOfType("aws:s3:BucketNotification").Single().Resource["properties"]!["eventbridge"]!.GetValue<string>());

        var alarm = Program.ResourcesOfType("aws:cloudwatch:MetricAlarm").Single().Resource["properties"]!;
        Assert.Equal("ExecutionsFailed", alarm["metricName"]!.GetValue<string>());
        Assert.Equal("AWS/States", alarm["namespace"]!.GetValue<string>());

        var machine = Program.ResourcesOfType("aws:sfn:StateMachine").Single().Resource["properties"]!;
        Assert.Equal("true", machine["tracingConfiguration"]!["enabled"]!.GetValue<string>());
        Assert.NotNull(machine["loggingConfiguration"]!["logDestination"]);
        Assert.All(new[] { "lakeBucketName", "stateMachineArn", "stateMachineConsoleUrl" }, o => Assert.True(Program.Outputs.ContainsKey(o), o));
    }

    [Fact]
    public void A_stopped_or_timed_out_execution_gives_the_lake_lock_back_through_the_lock_function()
    {
        var pattern = Program.Properties("abandonedRunRule")["eventPattern"]!["fn::toJSON"]!;
        Assert.Equal("aws.states", pattern["source"]![0]!.GetValue<string>());
        Assert.Equal("${stateMachineArn}", pattern["detail"]!["stateMachineArn"]![0]!.GetValue<string>());
        Assert.Equal(["ABORTED", "TIMED_OUT"], pattern["detail"]!["status"]!.AsArray().Select(s => s!.GetValue<string>()));

        var target = Program.Properties("abandonedRunTarget");
        var function = PulumiProgram.RootName(PulumiProgram.WholeReference(target["arn"]!.GetValue<string>())!);
        Assert.Equal("lock", Program.Properties(function)["handler"]!.GetValue<string>());
        Assert.Contains("\"action\":\"release\"", target["inputTransformer"]!["inputTemplate"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("$.detail.name", target["inputTransformer"]!["inputPaths"]!["executionName"]!.GetValue<string>());

        var permission = Program.Properties("abandonedRunPermission");
        Assert.Equal("events.amazonaws.com", permission["principal"]!.GetValue<string>());
        Assert.Equal("${abandonedRunRule.arn}", permission["sourceArn"]!.GetValue<string>());
    }

    private static string ValueShapedLike(string type, string resource) => type switch
    {
        "aws:lambda:Function" => $"arn:aws:lambda:us-east-1:123456789012:function:stockflow-{resource}",
        "aws:sns:Topic" => "arn:aws:sns:us-east-1:123456789012:stockflow-failures",
        "aws:s3:Bucket" => "stockflow-lake-0123456789",
        "aws:glue:CatalogDatabase" => "stockflow",
        _ => $"stockflow-{resource}",
    };

    private static async Task<IReadOnlyList<string>> BootstrapHandlersAsync()
    {
        var info = new ProcessStartInfo(await Lambda.PublishedBootstrap.PathAsync(), "--list-handlers") { RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        var names = (await process.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        Assert.NotEmpty(names);
        return names;
    }

    [GeneratedRegex(@"\$\{([A-Za-z][A-Za-z0-9]*)\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"^\s*Resource:\s*""\*""\s*$")]
    private static partial Regex WildcardResource();
}
