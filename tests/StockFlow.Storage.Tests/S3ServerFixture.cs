using System.Diagnostics;
using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Amazon.S3;

namespace StockFlow.Storage.Tests;

/// <summary>
/// A real S3-protocol server (s3rver from npm, see tests/s3-server/) on 127.0.0.1 with a free
/// port and a throw-away data folder. A fresh clone needs only node and npm: the fixture runs
/// <c>npm ci</c> when node_modules is missing. Without node the tests fail, loudly.
/// </summary>
public sealed class S3ServerFixture : IAsyncLifetime
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), $"stockflow-s3rver-{Guid.NewGuid():N}");
    private readonly StringBuilder serverOutput = new();
    private Process? server;

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>s3rver's built-in account.</summary>
    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials("S3RVER", "S3RVER");

    public S3ObjectStoreOptions Options(int listPageSize = 1000) => new()
    {
        ServiceUrl = Endpoint.ToString(),
        Region = "us-east-1",
        ForcePathStyle = true,
        Credentials = Credentials,
        ListPageSize = listPageSize,
    };

    public async Task InitializeAsync()
    {
        var serverFolder = FindServerFolder();
        RequireTool("node");
        if (!File.Exists(Path.Combine(serverFolder, "node_modules", "s3rver", "package.json")))
        {
            RequireTool("npm");
            await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], serverFolder, InstallTimeout);
        }

        Directory.CreateDirectory(dataDirectory);
        server = StartServer(serverFolder);
        var port = await WaitForPortAsync(server);
        Endpoint = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        await WaitUntilAnsweringAsync();
    }

    public async Task DisposeAsync()
    {
        if (server is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                }
            }
            finally
            {
                process.Dispose();
            }
        }

        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static string FindServerFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "s3-server");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"tests/s3-server/package.json not found above {AppContext.BaseDirectory}.");
    }

    internal static void RequireTool(string tool)
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo(tool, "--version") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            probe.WaitForExit(30_000);
            if (probe.ExitCode == 0)
            {
                return;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }

        throw new InvalidOperationException(
            $"'{tool}' is not available: the S3 compliance tests run a local S3 server from npm (tests/s3-server). Install Node.js 18+ with npm (e.g. `apt-get install -y nodejs npm`).");
    }

    private static async Task RunAsync(string tool, string[] arguments, string workingDirectory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(tool) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"`{tool} {string.Join(' ', arguments)}` in {workingDirectory} did not finish within {timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"`{tool} {string.Join(' ', arguments)}` in {workingDirectory} failed with exit code {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }

    private Process StartServer(string serverFolder)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = serverFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // server.js exits when stdin closes, so a crashed test host leaves no server running.
            RedirectStandardInput = true,
        };
        // s3rver signs ListObjectsV2 continuation tokens with DES, which OpenSSL 3 keeps in its legacy provider.
        info.ArgumentList.Add("--openssl-legacy-provider");
        info.ArgumentList.Add("server.js");
        info.ArgumentList.Add(dataDirectory);
        info.ArgumentList.Add("0");
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (serverOutput)
                {
                    serverOutput.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<int> WaitForPortAsync(Process process)
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            {
                const string ready = "S3RVER_LISTENING ";
                if (line.StartsWith(ready, StringComparison.Ordinal))
                {
                    // Keep draining stdout so the server can never block on a full pipe.
                    _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                    return int.Parse(line.AsSpan(ready.Length), NumberStyles.None, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        process.WaitForExit(2000); // let stderr arrive before quoting it
        throw new InvalidOperationException($"The S3 test server did not report its port within {StartTimeout}. Its output:\n{ServerOutput()}");
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var client = S3ObjectStore.CreateClient(Options());
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                await client.ListBucketsAsync();
                return;
            }
            catch (Exception e) when (e is AmazonServiceException or HttpRequestException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private string ServerOutput()
    {
        lock (serverOutput)
        {
            return serverOutput.ToString();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class S3ServerCollection : ICollectionFixture<S3ServerFixture>
{
    public const string Name = "s3 server";
}
