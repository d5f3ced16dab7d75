using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace StockFlow.Cli.Packaging;

/// <summary>One file <c>stockflow package</c> produced.</summary>
public sealed record Artifact(string RelativePath, long Size, string Sha256);

/// <summary>
/// Builds what <c>pulumi up</c> deploys, from a StockFlow source tree: <c>lambda/&lt;function&gt;.zip</c>
/// (the <c>bootstrap</c>, one native executable compiled with Native AOT, alone at the zip's root; one zip per function
/// the bootstrap serves), <c>glue/</c> (the Spark job's scripts) and <c>sql/</c> (the shared SQL).
/// </summary>
/// <param name="sourceRoot">The StockFlow source tree (the folder holding <see cref="LambdaProject"/>, <c>infra/glue</c> and <c>sql</c>).</param>
/// <param name="publishedBootstrap">A folder holding an already published bootstrap (CI publishes once); null publishes it.</param>
/// <param name="progress">Receives one line per step, for the user; null for silence.</param>
public sealed class ArtifactPackager(string sourceRoot, string? publishedBootstrap = null, Action<string>? progress = null)
{
    /// <summary>The Lambda bootstrap's project, relative to the source root: what is published into every function's zip.</summary>
    public const string LambdaProject = "src/Aws/StockFlow.Functions.Lambda/StockFlow.Functions.Lambda.csproj";
    /// <summary>The executable Lambda's <c>provided.al2023</c> runtime starts, at the zip's root.</summary>
    public const string BootstrapName = "bootstrap";

    /// <summary>
    /// What Native AOT needs on the machine besides the SDK: the C compiler driver that links the bootstrap (the
    /// project's <c>CppCompilerAndLinker</c>) and objcopy, which strips it. Debian's <c>gcc</c> package brings both.
    /// </summary>
    public static IReadOnlyList<string> NativeToolchain { get; } = ["gcc", "objcopy"];

    /// <summary>The tools of <see cref="NativeToolchain"/> that no folder of <paramref name="searchPath"/> (a PATH value) holds.</summary>
    public static IReadOnlyList<string> MissingNativeTools(string? searchPath)
    {
        var folders = (searchPath ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return NativeToolchain.Where(tool => !folders.Any(folder => File.Exists(Path.Combine(folder, tool)))).ToList();
    }

    /// <summary>The source tree above <paramref name="start"/> that holds the Lambda project, or null.</summary>
    public static string? FindSourceRoot(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, LambdaProject)))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>
    /// Builds <c>lambda/</c>, <c>glue/</c> and <c>sql/</c> under <paramref name="outputDirectory"/>, replacing what those
    /// folders held, and lists every file written (path, size, SHA-256). Other files in the folder are left alone.
    /// </summary>
    /// <exception cref="PackagingException">The publish failed, the published folder holds no Native AOT bootstrap, or the bootstrap
    /// could not list its handlers, or <c>infra/glue</c> or <c>sql</c> is missing from the source tree.</exception>
    public async Task<IReadOnlyList<Artifact>> PackageAsync(string outputDirectory, CancellationToken cancellationToken)
    {
        var output = Path.GetFullPath(outputDirectory);
        var staging = Path.Combine(Path.GetTempPath(), $"stockflow-package-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var published = publishedBootstrap is null ? Path.Combine(staging, "bootstrap") : Path.GetFullPath(publishedBootstrap);
            if (publishedBootstrap is null)
            {
                await PublishBootstrapAsync(published, cancellationToken);
            }
            else if (!File.Exists(Path.Combine(published, BootstrapName)))
            {
                throw new PackagingException($"{published} holds no {BootstrapName}: pass the output folder of `dotnet publish {LambdaProject} -c Release`.");
            }
            else if (File.Exists(Path.Combine(published, BootstrapName + ".dll")))
            {
                // A build folder (or an older ReadyToRun publish): its bootstrap is the .NET host, not the Native AOT executable.
                throw new PackagingException($"{published} holds {BootstrapName}.dll, so it is a JIT or ReadyToRun build, not the Native AOT bootstrap the zips ship: pass the output folder of `dotnet publish {LambdaProject} -c Release`.");
            }

            var functions = await ListHandlersAsync(Path.Combine(published, BootstrapName), cancellationToken);

            // Replace the previous output whole, so no stale artifact survives into a deployment.
            foreach (var folder in new[] { "lambda", "glue", "sql" })
            {
                var existing = Path.Combine(output, folder);
                if (Directory.Exists(existing))
                {
                    Directory.Delete(existing, recursive: true);
                }
            }

            Directory.CreateDirectory(Path.Combine(output, "lambda"));
            var bundle = Path.Combine(staging, "bundle.zip");
            await using (var zip = File.Create(bundle))
            {
                // No symbol files (.pdb, .dbg) in the bundle: they are not needed to run, and they carry build paths.
                DeterministicZip.Write(published, zip, new HashSet<string>(StringComparer.Ordinal) { BootstrapName }, IsShipped);
            }

            foreach (var function in functions)
            {
                File.Copy(bundle, Path.Combine(output, "lambda", $"{function}.zip"));
            }

            // The job's modules only (its unit tests stay in the repository).
            CopyTree(Path.Combine(sourceRoot, "infra", "glue"), Path.Combine(output, "glue"), "*.py", SearchOption.TopDirectoryOnly);
            CopyTree(Path.Combine(sourceRoot, "sql"), Path.Combine(output, "sql"), "*.sql", SearchOption.AllDirectories);

            return Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories)
                .Select(path => Path.GetRelativePath(output, path).Replace(Path.DirectorySeparatorChar, '/'))
                .Where(name => name.StartsWith("lambda/", StringComparison.Ordinal) || name.StartsWith("glue/", StringComparison.Ordinal) || name.StartsWith("sql/", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .Select(name => Describe(output, name))
                .ToList();
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>The artifact at <paramref name="relativePath"/> under <paramref name="root"/>: its size and SHA-256 (lowercase hex).</summary>
    public static Artifact Describe(string root, string relativePath)
    {
        var path = Path.Combine(root, relativePath);
        using var stream = File.OpenRead(path);
        return new Artifact(relativePath, stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    /// <summary>
    /// Publishes the Lambda bootstrap into <paramref name="destination"/> as the zips ship it: Native AOT, linux-x64, one
    /// native <c>bootstrap</c> (the project's publish settings). Takes a few minutes the first time, seconds when nothing changed.
    /// </summary>
    /// <exception cref="PackagingException">This is not a Linux x64 machine, gcc or objcopy is missing, or the publish failed.</exception>
    public async Task PublishBootstrapAsync(string destination, CancellationToken cancellationToken)
    {
        // Native AOT compiles for the machine it runs on: it cannot target Linux from another OS or architecture.
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            throw new PackagingException(
                $"The Lambda bootstrap is compiled with Native AOT for linux-x64, which only a Linux x64 machine can do (this is {RuntimeInformation.OSDescription}, " +
                $"{RuntimeInformation.OSArchitecture}): run `stockflow package` there (a Linux x64 container works), or pass --bootstrap-dir with a bootstrap published on one.");
        }

        var missing = MissingNativeTools(Environment.GetEnvironmentVariable("PATH"));
        if (missing.Count > 0)
        {
            throw new PackagingException(
                $"Native AOT links the Lambda bootstrap with gcc and strips it with objcopy, and this machine has no {string.Join(" and no ", missing)} on PATH. " +
                "Install the C toolchain and run again: `sudo apt-get install -y gcc libc6-dev` (Debian, Ubuntu), `sudo dnf install -y gcc glibc-devel` (Fedora, Amazon Linux).");
        }

        progress?.Invoke($"publishing {LambdaProject} (Native AOT, linux-x64: one native bootstrap; a few minutes the first time)");
        // Same properties as a plain build, so an up-to-date build is reused rather than redone; -o leaves only what ships.
        var (exitCode, output) = await RunAsync("dotnet",
            ["publish", Path.Combine(sourceRoot, LambdaProject), "-c", "Release", "-o", destination, "--nologo"],
            cancellationToken);
        if (exitCode != 0)
        {
            throw new PackagingException($"dotnet publish of the Lambda bootstrap (Native AOT) failed (exit code {exitCode}):\n{output}");
        }
    }

    /// <summary>Whether a file of the published folder goes into the zips: everything but symbol files.</summary>
    private static bool IsShipped(string relativePath) =>
        !relativePath.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase) && !relativePath.EndsWith(".dbg", StringComparison.OrdinalIgnoreCase);

    /// <summary>The function names come from the bootstrap itself, so the zips follow its handler list.</summary>
    private static async Task<IReadOnlyList<string>> ListHandlersAsync(string bootstrap, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await RunAsync(bootstrap, ["--list-handlers"], cancellationToken);
        var names = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (exitCode != 0 || names.Length == 0)
        {
            throw new PackagingException($"The published bootstrap did not list its handlers (exit code {exitCode}):\n{output}");
        }

        return names;
    }

    private static void CopyTree(string source, string destination, string pattern, SearchOption depth)
    {
        if (!Directory.Exists(source))
        {
            throw new PackagingException($"{source} does not exist: run `stockflow package` from a StockFlow source tree.");
        }

        foreach (var file in Directory.EnumerateFiles(source, pattern, depth).Order(StringComparer.Ordinal))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new PackagingException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, (await stdout) + (await stderr));
    }
}

/// <summary>The artifacts could not be built; the message says why.</summary>
public sealed class PackagingException : Exception
{
    /// <summary>Without a message.</summary>
    public PackagingException() { }

    /// <summary>With the sentence that says which step failed and its output.</summary>
    public PackagingException(string message) : base(message) { }

    /// <summary>With the sentence that says which step failed and its output and the failure behind it.</summary>
    public PackagingException(string message, Exception innerException) : base(message, innerException) { }
}
