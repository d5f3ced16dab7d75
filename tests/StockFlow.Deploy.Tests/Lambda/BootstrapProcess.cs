using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace StockFlow.Deploy.Tests.Lambda;

/// <summary>The published <c>bootstrap</c> started as Lambda starts it: a process with Lambda's environment, in its folder.</summary>
public sealed class BootstrapProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private BootstrapProcess(Process process, long started)
    {
        _process = process;
        Started = started;
    }

    /// <summary>Stopwatch timestamp just before the process was started.</summary>
    public long Started { get; }

    public Process Process => _process;

    /// <summary>The JSON log lines printed so far.</summary>
    public IReadOnlyList<JsonObject> Logs => _stdout.Select(line => JsonNode.Parse(line)!.AsObject()).ToList();

    public string Output => string.Join('\n', _stdout) + "\n" + string.Join('\n', _stderr);

    public static BootstrapProcess Start(string bootstrap, IReadOnlyDictionary<string, string?> environment)
    {
        Assert.True(File.Exists(bootstrap), $"No bootstrap at {bootstrap}.");
        var info = new ProcessStartInfo(bootstrap)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(bootstrap)!,
        };
        // Lambda's sandbox has none of the machine's AWS settings; start from a clean slate.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("STOCKFLOW_", StringComparison.Ordinal) || k == "_HANDLER").ToList())
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(info)!;
        var wrapper = new BootstrapProcess(process, started);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                wrapper._stdout.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                wrapper._stderr.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }
}
