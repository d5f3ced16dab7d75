using System.IO.Compression;
using System.Security.Cryptography;
using StockFlow.Cli.Commands;
using StockFlow.Cli.Packaging;
using StockFlow.Deploy.Tests.Lambda;

namespace StockFlow.Deploy.Tests.Package;

/// <summary><c>stockflow package</c>: the zips Lambda runs (the Native AOT bootstrap alone), byte-identical for the same sources.</summary>
public sealed class PackageTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), $"stockflow-package-test-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> PackageAsync(string output, string? bootstrapDirectory = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await StockFlowCommandLine.Parse(["package", "--output", output, "--source", RepoPaths.Root, "--bootstrap-dir", bootstrapDirectory ?? await PublishedBootstrap.DirectoryAsync()])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr });
        return (exitCode, stdout.ToString() + stderr);
    }

    [Fact]
    public async Task Package_writes_one_zip_per_function_holding_only_the_executable_native_bootstrap_plus_glue_and_sql()
    {
        var output = Path.Combine(_work, "a");
        var (exitCode, printed) = await PackageAsync(output);

        Assert.True(exitCode == 0, printed);
        foreach (var function in new[] { "plan", "ingest", "summarize", "report", "lock" })
        {
            var zipPath = Path.Combine(output, "lambda", $"{function}.zip");
            Assert.True(File.Exists(zipPath), printed);
            using var zip = ZipFile.OpenRead(zipPath);
            // Native AOT: one executable, no assemblies, no runtime, no symbol files (.pdb, .dbg).
            var bootstrap = Assert.Single(zip.Entries);
            Assert.Equal("bootstrap", bootstrap.FullName);
            Assert.Equal(Convert.ToInt32("100755", 8), (bootstrap.ExternalAttributes >> 16) & 0xFFFF);
            Assert.Equal(new DateTime(1980, 1, 1), bootstrap.LastWriteTime.DateTime);
            using (var content = bootstrap.Open())
            {
                var magic = new byte[4];
                content.ReadExactly(magic);
                Assert.Equal("\u007fELF"u8.ToArray(), magic);
            }

            var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(zipPath)));
            Assert.Contains($"lambda/{function}.zip", printed, StringComparison.Ordinal);
            Assert.Contains(sha, printed, StringComparison.Ordinal);
        }

        Assert.True(File.Exists(Path.Combine(output, "glue", "transform_job.py")), printed);
        Assert.False(Directory.Exists(Path.Combine(output, "glue", "tests")), "the Glue job's unit tests are not an artifact");
        foreach (var sql in Directory.EnumerateFiles(RepoPaths.File("sql"), "*.sql", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepoPaths.File("sql"), sql);
            Assert.Equal(File.ReadAllBytes(sql), File.ReadAllBytes(Path.Combine(output, "sql", relative)));
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // Lambda's platform; Unix file modes
    public async Task The_bootstrap_unzipped_from_a_function_zip_runs_as_Lambda_would_start_it()
    {
        var output = Path.Combine(_work, "run");
        Assert.Equal(0, (await PackageAsync(output)).ExitCode);
        var task = Path.Combine(_work, "var-task");
        ZipFile.ExtractToDirectory(Path.Combine(output, "lambda", "ingest.zip"), task);

        Assert.True(File.GetUnixFileMode(Path.Combine(task, "bootstrap")).HasFlag(UnixFileMode.UserExecute));
        var info = new System.Diagnostics.ProcessStartInfo(Path.Combine(task, "bootstrap"), "--list-handlers") { RedirectStandardOutput = true, WorkingDirectory = task };
        using var process = System.Diagnostics.Process.Start(info)!;
        var printed = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        Assert.Equal(["plan", "ingest", "summarize", "report", "lock"], printed.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task The_same_sources_give_byte_identical_artifacts_even_when_file_times_differ()
    {
        var first = Path.Combine(_work, "first");
        Assert.Equal(0, (await PackageAsync(first)).ExitCode);

        // A copy of the bundle: same bytes, new timestamps and creation order; neither may reach the zips.
        var copy = Path.Combine(_work, "bundle-copy");
        var published = await PublishedBootstrap.DirectoryAsync();
        foreach (var file in Directory.EnumerateFiles(published, "*", SearchOption.AllDirectories).OrderDescending(StringComparer.Ordinal))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(published, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetLastWriteTimeUtc(target, DateTime.UtcNow);
        }

        var second = Path.Combine(_work, "second");
        Assert.Equal(0, (await PackageAsync(second, copy)).ExitCode);

        var names = Directory.EnumerateFiles(first, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(first, f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(names, Directory.EnumerateFiles(second, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(second, f)).Order(StringComparer.Ordinal));
        foreach (var name in names)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(first, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second, name))), $"{name} differs between two packages of the same sources");
        }
    }

    [Fact]
    public async Task No_file_in_a_function_zip_holds_the_checkout_path_so_any_checkout_builds_the_same_bytes()
    {
        var output = Path.Combine(_work, "paths");
        Assert.Equal(0, (await PackageAsync(output)).ExitCode);

        // The compiler would write the checkout's path into every assembly (its PDB path, CallerFilePath), which Native AOT
        // compiles into the bootstrap; PathMap (Directory.Build.props) replaces the root with /_/, and the bootstrap has no
        // DWARF (the project's DebugType). Both encodings: UTF-8 and UTF-16 (the managed strings).
        var root = RepoPaths.Root.TrimEnd('/');
        var needles = new[] { System.Text.Encoding.UTF8.GetBytes(root), System.Text.Encoding.Unicode.GetBytes(root) };
        using var zip = ZipFile.OpenRead(Path.Combine(output, "lambda", "plan.zip"));
        var found = new List<string>();
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var bytes = new MemoryStream();
            await stream.CopyToAsync(bytes);
            if (needles.Any(needle => bytes.GetBuffer().AsSpan(0, (int)bytes.Length).IndexOf(needle) >= 0))
            {
                found.Add(entry.FullName);
            }
        }

        Assert.True(found.Count == 0, $"These files hold the checkout path {root}: {string.Join(", ", found)}");
        Assert.Contains(zip.Entries, e => e.FullName == "bootstrap");
    }

    [Fact]
    public async Task A_build_folder_is_refused_as_bootstrap_dir_since_it_is_not_the_Native_AOT_bootstrap()
    {
        // What `dotnet build` leaves: the .NET host named bootstrap next to bootstrap.dll.
        var build = Path.Combine(_work, "build");
        Directory.CreateDirectory(build);
        await File.WriteAllTextAsync(Path.Combine(build, "bootstrap"), "host");
        await File.WriteAllTextAsync(Path.Combine(build, "bootstrap.dll"), "assembly");

        var (exitCode, printed) = await PackageAsync(Path.Combine(_work, "out"), build);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("not the Native AOT bootstrap", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", printed, StringComparison.Ordinal); // one message, no stack trace
        Assert.False(Directory.Exists(Path.Combine(_work, "out", "lambda")));
    }

    [Fact]
    public void Missing_native_tools_are_named_so_the_message_can_say_what_to_install()
    {
        var empty = Path.Combine(_work, "empty-path");
        var onlyGcc = Path.Combine(_work, "only-gcc");
        Directory.CreateDirectory(empty);
        Directory.CreateDirectory(onlyGcc);
        File.WriteAllText(Path.Combine(onlyGcc, "gcc"), "");

        Assert.Equal(["gcc", "objcopy"], ArtifactPackager.MissingNativeTools(empty));
        Assert.Equal(["gcc", "objcopy"], ArtifactPackager.MissingNativeTools(null));
        Assert.Equal(["objcopy"], ArtifactPackager.MissingNativeTools(string.Join(Path.PathSeparator, empty, onlyGcc)));
    }

    [Fact]
    public void The_zip_writer_orders_entries_by_path_whatever_order_files_were_created_in()
    {
        var one = Path.Combine(_work, "one");
        var two = Path.Combine(_work, "two");
        Directory.CreateDirectory(Path.Combine(one, "sub"));
        Directory.CreateDirectory(Path.Combine(two, "sub"));
        File.WriteAllText(Path.Combine(one, "b.txt"), "b");
        File.WriteAllText(Path.Combine(one, "sub", "a.txt"), "a");
        File.WriteAllText(Path.Combine(one, "a.txt"), "a");
        File.WriteAllText(Path.Combine(two, "a.txt"), "a");
        File.WriteAllText(Path.Combine(two, "sub", "a.txt"), "a");
        File.WriteAllText(Path.Combine(two, "b.txt"), "b");
        File.SetLastWriteTimeUtc(Path.Combine(two, "a.txt"), new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));

        using var zipOne = new MemoryStream();
        using var zipTwo = new MemoryStream();
        DeterministicZip.Write(one, zipOne, new HashSet<string> { "b.txt" });
        DeterministicZip.Write(two, zipTwo, new HashSet<string> { "b.txt" });

        Assert.Equal(zipOne.ToArray(), zipTwo.ToArray());
        zipOne.Position = 0;
        using var archive = new ZipArchive(zipOne);
        Assert.Equal(["a.txt", "b.txt", "sub/a.txt"], archive.Entries.Select(e => e.FullName));
    }

    [Fact]
    public async Task Package_without_a_source_tree_fails_with_one_clear_message()
    {
        var empty = Path.Combine(_work, "empty");
        Directory.CreateDirectory(empty);
        using var stdout = new StringWriter();
        var exitCode = await StockFlowCommandLine.Parse(["package", "--output", Path.Combine(_work, "out"), "--source", empty])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stdout });

        Assert.NotEqual(0, exitCode);
        Assert.False(Directory.Exists(Path.Combine(_work, "out", "lambda")));
    }
}
