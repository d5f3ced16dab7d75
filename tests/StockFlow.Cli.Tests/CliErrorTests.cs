using System.Diagnostics;
using System.Text;
using StockFlow.Runtime.Local;
using StockFlow.Runtime.Local.Executions;

namespace StockFlow.Cli.Tests;

/// <summary>Every failure a user can cause: one line that says what is wrong and what to do, exit 1 (2 for usage), no stack trace.</summary>
public sealed class CliErrorTests : IDisposable
{
    private const string PassDefinition = """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""";
    private const string PriceHeader = "Date,Open,High,Low,Close,Adj Close,Volume";

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string DataDir => _temp["data"];

    [Fact]
    public async Task An_empty_query_is_a_usage_error()
    {
        Cli.AssertFails(await Cli.RunAsync("query", "", "--data-dir", DataDir), 2, "The query is empty");
        Cli.AssertFails(await Cli.RunAsync("query", "   ", "--data-dir", DataDir), 2, "The query is empty");
    }

    [Fact]
    public async Task An_unknown_option_is_a_usage_error()
    {
        var result = await Cli.RunAsync("query", "SELECT 1", "--no-such-option");
        Cli.AssertFails(result, 2, "--no-such-option");
        Assert.Contains("--help", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_source_folder_is_named()
    {
        var missing = _temp["nope"];
        Cli.AssertFails(await Cli.RunAsync("run", "--provider", "csv", "--source", missing, "--data-dir", DataDir), 1, $"--source '{missing}' does not exist");
    }

    [Fact]
    public async Task A_second_run_on_a_busy_lake_fails_at_once_naming_the_first()
    {
        using var held = StockFlow.Runtime.Local.RunLock.Acquire(new StockFlow.Runtime.Local.DataDirectory(DataDir).EnsureCreated(), "a run", TimeProvider.System);
        Cli.AssertFails(await Cli.RunAsync("run", "--data-dir", DataDir), 1, "Another pipeline run is using");
    }

    [Fact]
    public async Task A_source_that_is_a_file_is_named()
    {
        var file = _temp.Write("prices.csv", PriceHeader + "\n");
        Cli.AssertFails(await Cli.RunAsync("run", "--provider", "csv", "--source", file, "--data-dir", DataDir), 1, "is a file");
    }

    [Fact]
    public async Task A_source_without_csv_files_is_named()
    {
        var empty = _temp.Folder("empty");
        _temp.Write("empty/readme.txt", "no prices here");
        Cli.AssertFails(await Cli.RunAsync("run", "--provider", "csv", "--source", empty, "--data-dir", DataDir), 1, "has no .csv files");
    }

    [Fact]
    public async Task Source_files_that_are_not_symbols_are_skipped_with_their_reason_and_the_rest_is_imported()
    {
        var source = _temp.Folder("source");
        const string rows = PriceHeader + "\n2024-01-02,10,11,9,10,10,100\n2024-01-03,10,11,9,11,11,100\n";
        foreach (var name in new[] { "..csv", "A B.csv", "ÄÖ.csv", "GOOD.csv" })
        {
            File.WriteAllText(Path.Combine(source, name), rows);
        }

        var result = await Cli.RunAsync("run", "--provider", "csv", "--source", source, "--from", "2024-01-02", "--to", "2024-01-03", "--data-dir", DataDir);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Copied 1 CSV file(s)", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("Skipped 3 file(s)", result.StdOut, StringComparison.Ordinal);
        foreach (var name in new[] { "..csv", "A B.csv", "ÄÖ.csv" })
        {
            Assert.Contains(name + ": the file name is not a symbol", result.StdOut, StringComparison.Ordinal);
        }

        Assert.Equal(["GOOD.csv"], Directory.GetFiles(new DataDirectory(DataDir).PathOf("landing")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_source_whose_every_file_name_is_bad_fails_with_every_reason()
    {
        var source = _temp.Folder("source");
        File.WriteAllText(Path.Combine(source, "A B.csv"), PriceHeader + "\n");
        File.WriteAllText(Path.Combine(source, "..csv"), PriceHeader + "\n");

        var result = await Cli.RunAsync("run", "--provider", "csv", "--source", source, "--data-dir", DataDir);

        Cli.AssertFails(result, 1, "None of the 2 .csv file(s)");
        Assert.Contains("A B.csv: the file name is not a symbol", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_every_imported_file_fails_the_console_says_why()
    {
        var source = _temp.Folder("source");
        File.WriteAllText(Path.Combine(source, "AAA.csv"), "this is not,a price file\n1,2\n");

        var result = await Cli.RunAsync("run", "--provider", "csv", "--source", source, "--data-dir", DataDir);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("AAA", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("header", result.StdOut + result.StdErr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", result.StdOut + result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_dir_that_is_a_file_is_named()
    {
        var file = _temp.Write("not-a-folder", "x");
        Cli.AssertFails(await Cli.RunAsync("run", "--data-dir", file), 1, "is a file, not a folder");
        Cli.AssertFails(await Cli.RunAsync("executions", "list", "--data-dir", file), 1, "is a file, not a folder");
        Cli.AssertFails(await Cli.RunAsync("query", "SELECT 1", "--data-dir", file), 1, "is a file, not a folder");
    }

    [Fact]
    public async Task Executions_list_of_a_missing_data_dir_creates_nothing()
    {
        var missing = _temp["missing"];
        var result = await Cli.RunAsync("executions", "list", "--data-dir", missing);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("No executions", result.StdErr, StringComparison.Ordinal);
        Assert.Equal("[]", (await Cli.RunAsync("executions", "list", "--json", "--data-dir", missing)).StdOut.Trim());
        Cli.AssertFails(await Cli.RunAsync("executions", "show", "x", "--data-dir", missing), 1, "No execution named 'x'");
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task A_missing_config_file_is_named()
    {
        var missing = _temp["nope.json"];
        Cli.AssertFails(await Cli.RunAsync("run", "--config", missing, "--data-dir", DataDir), 1, $"'{missing}' does not exist");
        Assert.False(Directory.Exists(DataDir));
    }

    [Fact]
    public async Task A_malformed_config_file_is_named()
    {
        var broken = _temp.Write("broken.json", "{ \"Providers\": ");
        Cli.AssertFails(await Cli.RunAsync("run", "--config", broken, "--data-dir", DataDir), 1, "is not valid JSON");
    }

    [Theory]
    [InlineData("RequestsPerSecond", "-1")]
    [InlineData("MaxConcurrency", "-4")]
    [InlineData("MaxRetryAttempts", "-2")]
    public async Task A_config_with_a_negative_limit_names_the_setting(string key, string value)
    {
        var config = _temp.Write("limits.json", $$"""{ "Providers": { "{{key}}": {{value}} } }""");
        Cli.AssertFails(await Cli.RunAsync("run", "--config", config, "--data-dir", DataDir), 1, key);
    }

    [Fact]
    public async Task A_missing_definition_is_named()
    {
        var missing = _temp["nope.asl.json"];
        Cli.AssertFails(await Cli.RunAsync("run", "--definition", missing, "--data-dir", DataDir), 1, "does not exist");
        Cli.AssertFails(await Cli.RunAsync("asl", "run", missing), 1, "does not exist");
        Cli.AssertFails(await Cli.RunAsync("asl", "validate", missing), 1, "does not exist");
    }

    [Fact]
    public async Task A_malformed_definition_is_named()
    {
        var broken = _temp.Write("broken.asl.json", "{\"StartAt\": ");
        Cli.AssertFails(await Cli.RunAsync("run", "--definition", broken, "--data-dir", DataDir), 1, "is not valid JSON");
        Cli.AssertFails(await Cli.RunAsync("asl", "run", broken), 1, "is not valid JSON");

        var validate = await Cli.RunAsync("asl", "validate", broken);
        Assert.True(validate.ExitCode == 1, validate.ToString());
        Assert.Contains("problem(s)", validate.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", validate.StdOut + validate.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_definition_that_is_json_but_not_asl_is_reported()
    {
        var notAsl = _temp.Write("not-asl.json", "[1, 2]");
        Cli.AssertFails(await Cli.RunAsync("run", "--definition", notAsl, "--data-dir", DataDir), 1, "");
    }

    [Theory]
    [InlineData("executions", "show")]
    [InlineData("executions", "history")]
    [InlineData("rerun")]
    [InlineData("redrive")]
    [InlineData("stop")]
    public async Task An_unknown_execution_id_is_named(params string[] command)
    {
        await Cli.RunAsync("asl", "run", _temp.Write("pass.asl.json", PassDefinition), "--name", "known", "--data-dir", DataDir);
        var result = await Cli.RunAsync([.. command, "no-such-run", "--data-dir", DataDir]);
        Cli.AssertFails(result, 1, "No execution named 'no-such-run'");
        Assert.Contains("executions list", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redrive_of_a_succeeded_execution_says_to_rerun_it()
    {
        var run = await Cli.RunAsync("asl", "run", _temp.Write("pass.asl.json", PassDefinition), "--name", "done", "--data-dir", DataDir);
        Assert.True(run.ExitCode == 0, run.ToString());
        Cli.AssertFails(await Cli.RunAsync("redrive", "done", "--data-dir", DataDir), 1, "stockflow rerun done");
    }

    [Fact]
    public async Task Redrive_of_a_running_execution_says_to_wait_or_stop_it()
    {
        var directory = new DataDirectory(DataDir).EnsureCreated();
        using (var store = new ExecutionStore(directory.ExecutionsDatabase))
        {
            // Owned by this (live) process, so it stays RUNNING.
            store.CreateExecution(new ExecutionRecord("arn:aws:states:local:0:execution:M:busy", "busy", "arn:aws:states:local:0:stateMachine:M",
                PassDefinition, "{}", DateTimeOffset.UtcNow, directory.Root));
        }

        Cli.AssertFails(await Cli.RunAsync("redrive", "busy", "--data-dir", DataDir), 1, "still RUNNING");
    }

    [Fact]
    public async Task Stop_of_a_finished_execution_says_so()
    {
        await Cli.RunAsync("asl", "run", _temp.Write("pass.asl.json", PassDefinition), "--name", "done", "--data-dir", DataDir);
        Cli.AssertFails(await Cli.RunAsync("stop", "done", "--data-dir", DataDir), 1, "not RUNNING");
    }

    [Fact]
    public async Task Malformed_input_is_a_usage_error()
    {
        var definition = _temp.Write("pass.asl.json", PassDefinition);
        Cli.AssertFails(await Cli.RunAsync("asl", "run", definition, "--input", "{\"a\":"), 2, "--input is not valid JSON");
        Cli.AssertFails(await Cli.RunAsync("asl", "run", definition, "--input", "@" + _temp["missing.json"]), 1, "does not exist");
        Cli.AssertFails(await Cli.RunAsync("asl", "test-state", "--definition", "{\"Type\":\"Pass\",\"End\":true}", "--input", "nope"), 2, "--input is not valid JSON");
    }

    [Fact]
    public async Task Too_deeply_nested_input_is_a_usage_error()
    {
        var definition = _temp.Write("pass.asl.json", PassDefinition);
        var deep = new string('[', 5000) + new string(']', 5000);
        Cli.AssertFails(await Cli.RunAsync("asl", "run", definition, "--input", deep, "--data-dir", DataDir), 2, "depth");
    }

    [Fact]
    public async Task Input_over_256_KiB_is_refused_before_anything_is_recorded()
    {
        var definition = _temp.Write("pass.asl.json", PassDefinition);
        var big = _temp.Write("big.json", "{\"blob\":\"" + new string('x', 300 * 1024) + "\"}");

        var result = await Cli.RunAsync("asl", "run", definition, "--input", "@" + big, "--data-dir", DataDir);

        Cli.AssertFails(result, 2, "at most 262,144 bytes");
        Assert.False(File.Exists(new DataDirectory(DataDir).ExecutionsDatabase));
    }

    [Fact]
    public async Task Test_state_with_a_missing_state_file_is_named()
    {
        Cli.AssertFails(await Cli.RunAsync("asl", "test-state", "--definition", "@" + _temp["state.json"]), 1, "does not exist");
        Cli.AssertFails(await Cli.RunAsync("asl", "test-state", "--definition", "{\"Type\":"), 2, "--definition is not valid JSON");
    }

    [Fact]
    public async Task A_missing_or_malformed_mock_config_is_named()
    {
        var definition = _temp.Write("pass.asl.json", PassDefinition);
        Cli.AssertFails(await Cli.RunAsync("asl", "run", definition, "--mock-config", _temp["mocks.json"]), 1, "does not exist");
        var broken = _temp.Write("broken-mocks.json", "{\"StateMachines\": [");
        Cli.AssertFails(await Cli.RunAsync("asl", "run", definition, "--mock-config", broken), 1, "is not valid");
    }

    [Fact]
    public async Task A_corrupt_execution_history_names_the_file_and_the_repair()
    {
        var directory = new DataDirectory(DataDir).EnsureCreated();
        File.WriteAllText(directory.ExecutionsDatabase, "this is not a SQLite database, just text that is long enough to have a header....");

        var result = await Cli.RunAsync("executions", "list", "--data-dir", DataDir);

        Cli.AssertFails(result, 1, directory.ExecutionsDatabase);
        Assert.Contains("mv ", result.StdErr, StringComparison.Ordinal);
        Cli.AssertFails(await Cli.RunAsync("run", "--data-dir", DataDir), 1, "is damaged");
    }

    [Fact]
    public async Task A_wait_longer_than_a_timer_can_hold_waits_instead_of_failing()
    {
        var definition = _temp.Write("long-wait.asl.json", """{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5000000,"End":true}}}""");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var watch = Stopwatch.StartNew();

        var result = await Cli.RunAsync(cancel.Token, "asl", "run", definition, "--wait-scale", "1");

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.5), result.ToString());
        Assert.DoesNotContain("ArgumentOutOfRange", result.StdOut + result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdOut + result.StdErr, StringComparison.Ordinal);
        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public async Task Verbose_adds_the_stack_trace()
    {
        var quiet = await Cli.RunAsync("executions", "show", "x", "--data-dir", _temp["missing"]);
        var verbose = await Cli.RunAsync("executions", "show", "x", "--data-dir", _temp["missing"], "--verbose");
        Assert.DoesNotContain("   at ", quiet.StdErr, StringComparison.Ordinal);
        Assert.Contains("   at ", verbose.StdErr, StringComparison.Ordinal);
        Assert.Equal(quiet.ExitCode, verbose.ExitCode);
    }

    [Fact]
    public async Task Large_inline_input_counts_utf8_bytes()
    {
        var definition = _temp.Write("pass.asl.json", PassDefinition);
        // 100,000 three-byte characters: under 256 Ki characters, over 256 KiB.
        var input = "\"" + new StringBuilder().Insert(0, "€", 100_000) + "\"";
        Cli.AssertFails(await Cli.RunAsync("asl", "run", definition, "--input", input), 2, "256 KiB");
    }
}
