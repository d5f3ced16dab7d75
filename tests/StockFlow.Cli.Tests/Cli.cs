using System.CommandLine;
using StockFlow.Cli.Commands;

namespace StockFlow.Cli.Tests;

/// <summary>What one in-process invocation printed and returned.</summary>
public sealed record CliResult(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StdOut}\nstderr:\n{StdErr}";
}

/// <summary>Runs <c>stockflow</c> in-process on string writers, as Program does on the console.</summary>
public static class Cli
{
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    public static async Task<CliResult> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await StockFlowCommandLine.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// The contract of every failure: the exit code, exactly one "error:" line that contains <paramref name="says"/>,
    /// and no stack trace.
    /// </summary>
    public static void AssertFails(CliResult result, int exitCode, string says)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        var errorLines = result.StdErr.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.True(errorLines.Count == 1, result.ToString());
        Assert.Contains(says, errorLines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr + result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.StdErr + result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("This is a bug", result.StdErr, StringComparison.Ordinal);
    }
}

/// <summary>A throwaway folder per test.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("stockflow-cli-").FullName;

    public string Path { get; }

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        var path = this[name];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public string Folder(string name) => Directory.CreateDirectory(this[name]).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open for a moment; the temp folder is cleaned later.
        }
    }
}
