using System.Diagnostics;

namespace StockFlow.EndToEnd.Tests;

/// <summary>Runs the real <c>stockflow</c> executable (built next to the tests) as a user would.</summary>
public static class CliProcess
{
    public static string DllPath => System.IO.Path.Combine(AppContext.BaseDirectory, "stockflow.dll");

    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["NO_COLOR"] = "1";
        info.Environment["COLUMNS"] = "200";
        return info;
    }

    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
