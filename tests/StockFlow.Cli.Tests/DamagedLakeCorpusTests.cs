using StockFlow.Runtime.Local;

namespace StockFlow.Cli.Tests;

/// <summary>
/// Damaged lakes the other CLI tests do not cover (they cover a corrupt table.json, a corrupt executions.db, bad
/// source file names, a busy lake and the query limits): every case ends either in correct tables or in one error
/// line that names what is damaged and the command or step that repairs it, with no stack trace and no hang.
/// </summary>
public sealed class DamagedLakeCorpusTests : IDisposable
{
    private static readonly TimeSpan NoHang = TimeSpan.FromMinutes(3);

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string DataDir => _temp["data"];

    private DataDirectory Directory => new(DataDir);

    /// <summary>A lake with one imported symbol (two rows), as a user has it after a first import.</summary>
    private async Task<string> ImportedLakeAsync()
    {
        var source = _temp.Folder("source");
        _temp.Write("source/GOOD.csv", "Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,1,2,1,1.5,1.5,10\n2024-01-03,1,2,1,1.6,1.6,10\n");
        var first = await RunAsync("run", "--provider", "csv", "--source", source, "--data-dir", DataDir);
        Assert.True(first.ExitCode == 0, first.ToString());
        return source;
    }

    private static Task<CliResult> RunAsync(params string[] args) => Cli.RunAsync(args).WaitAsync(NoHang);

    /// <summary>A failed execution ends the run with exit 1 and its summary's Error and Cause (no stack trace).</summary>
    private static void AssertExecutionFailed(CliResult result, string error, string causeSays)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("FAILED", result.StdOut, StringComparison.Ordinal);
        Assert.Contains(error, result.StdOut, StringComparison.Ordinal);
        Assert.Contains(causeSays, result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr + result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("stackTrace", result.StdErr + result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_raw_file_overwritten_with_garbage_is_detected_and_fetched_again()
    {
        var source = await ImportedLakeAsync();
        var raw = System.IO.Directory.GetFiles(Path.Combine(Directory.BucketRoot, "raw", "prices"), "*.csv", SearchOption.AllDirectories).Single();
        await File.WriteAllBytesAsync(raw, [0x00, 0xFF, 0xFE, 0x0A, 0x42, 0x00]);

        var again = await RunAsync("run", "--provider", "csv", "--source", source, "--data-dir", DataDir);
        Assert.True(again.ExitCode == 0, again.ToString());

        var count = await RunAsync("query", "SELECT count(*) AS n, sum(volume) AS v FROM daily_metrics", "--format", "csv", "--data-dir", DataDir);
        Assert.True(count.ExitCode == 0, count.ToString());
        Assert.Equal("n,v\n2,20\n", count.StdOut.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Damaged_watermarks_fail_the_run_naming_the_object_and_the_repair()
    {
        await ImportedLakeAsync();
        _temp.Write(Path.Combine(DataDir, "lake", Directory.Bucket, "state", "watermarks.json"), "{ not json");

        var result = await RunAsync("run", "--symbols", "AAPL", "--data-dir", DataDir);

        AssertExecutionFailed(result, "CorruptLakeObjectException", "state/watermarks.json");
        Assert.Contains("Delete it", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lake_lock_left_unreadable_is_taken_over_and_the_run_succeeds()
    {
        var source = await ImportedLakeAsync();
        _temp.Write(Path.Combine(DataDir, "lake", Directory.Bucket, "state", "pipeline-lock.json"), "\0\0garbage");

        var result = await RunAsync("run", "--provider", "csv", "--source", source, "--data-dir", DataDir);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(File.Exists(Path.Combine(DataDir, "lake", Directory.Bucket, "state", "pipeline-lock.json")), "the run gives the lake back");
    }

    [Fact]
    public async Task A_lake_held_by_another_execution_fails_the_run_naming_it_and_how_to_stop_it()
    {
        var source = await ImportedLakeAsync();
        var now = DateTimeOffset.UtcNow;
        _temp.Write(Path.Combine(DataDir, "lake", Directory.Bucket, "state", "pipeline-lock.json"),
            $$"""{"execution":"run-elsewhere","acquiredAt":"{{now:O}}","expiresAt":"{{now.AddHours(12):O}}"}""");

        var result = await RunAsync("run", "--provider", "csv", "--source", source, "--data-dir", DataDir);

        AssertExecutionFailed(result, "LakeBusyException", "in use by execution run-elsewhere");
        Assert.Contains("stockflow stop run-elsewhere", result.StdOut.Replace("│", string.Empty, StringComparison.Ordinal).ReplaceLineEndings(" "), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_history_database_starts_a_new_history()
    {
        await ImportedLakeAsync();
        await File.WriteAllBytesAsync(Directory.ExecutionsDatabase, []);

        var list = await RunAsync("executions", "list", "--data-dir", DataDir);

        Assert.True(list.ExitCode == 0, list.ToString());
    }

    [Fact]
    public async Task A_deleted_catalog_is_named_with_the_command_that_rebuilds_it()
    {
        var source = await ImportedLakeAsync();
        System.IO.Directory.Delete(Directory.CatalogDirectory, recursive: true);

        Cli.AssertFails(await RunAsync("query", "SELECT * FROM daily_metrics", "--data-dir", DataDir), 1, "stockflow run");
        var rebuilt = await RunAsync("run", "--provider", "csv", "--source", source, "--data-dir", DataDir);
        Assert.True(rebuilt.ExitCode == 0, rebuilt.ToString());
        var count = await RunAsync("query", "SELECT count(*) AS n FROM raw_prices", "--format", "csv", "--data-dir", DataDir);
        Assert.Equal("n\n2\n", count.StdOut.Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
