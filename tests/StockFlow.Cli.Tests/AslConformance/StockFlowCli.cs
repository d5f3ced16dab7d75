using System.Diagnostics;

namespace StockFlow.Cli.Tests.AslConformance;

/// <summary>Runs the built <c>stockflow</c> executable as a process (in-process runs go through <see cref="Cli"/>).</summary>
internal static class StockFlowCli
{
    /// <summary>The built <c>stockflow.dll</c>, copied next to the tests by the project reference.</summary>
    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "stockflow.dll");

    public static ProcessStartInfo ProcessStartInfo(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["NO_COLOR"] = "1";
        return info;
    }

    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunProcessAsync(string workingDirectory, params string[] args)
    {
        using var process = Process.Start(ProcessStartInfo(workingDirectory, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
