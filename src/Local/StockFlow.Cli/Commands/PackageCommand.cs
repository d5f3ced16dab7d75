using System.CommandLine;
using System.Globalization;
using StockFlow.Cli.Hosting;
using StockFlow.Cli.Packaging;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow package --output DIR</c>: the artifacts <c>pulumi up</c> deploys.</summary>
internal static class PackageCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o") { Description = "Folder for lambda/, glue/ and sql/ (default ./artifacts).", DefaultValueFactory = _ => "artifacts" };
        var source = new Option<string?>("--source") { Description = "StockFlow source tree (default: the one above the current folder)." };
        var bootstrap = new Option<string?>("--bootstrap-dir") { Description = "An already published bootstrap folder to bundle instead of publishing it." };
        var command = new Command("package", "Build the AWS deployment artifacts: Lambda zips (bootstrap), the Glue job script and the shared SQL.") { output, source, bootstrap };
        CliAction.Set(command, async (parse, console, cancellationToken) =>
        {
            var root = parse.GetValue(source) is { } given ? Path.GetFullPath(given) : ArtifactPackager.FindSourceRoot(Directory.GetCurrentDirectory());
            if (root is null || !File.Exists(Path.Combine(root, ArtifactPackager.LambdaProject)))
            {
                throw new CliException($"No StockFlow source tree (with {ArtifactPackager.LambdaProject}) at or above {root ?? Directory.GetCurrentDirectory()}: run from the repository or pass --source.");
            }

            var stdout = console.Out;
            IReadOnlyList<Artifact> artifacts;
            try
            {
                artifacts = await new ArtifactPackager(root, parse.GetValue(bootstrap), message => stdout.WriteLine(message))
                    .PackageAsync(parse.GetValue(output)!, cancellationToken);
            }
            catch (PackagingException ex)
            {
                throw new CliException(ex.Message, ex);
            }

            var width = artifacts.Max(a => a.RelativePath.Length);
            foreach (var artifact in artifacts)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{artifact.RelativePath.PadRight(width)}  {artifact.Size,12:N0} B  sha256:{artifact.Sha256}"));
            }

            return 0;
        });
        return command;
    }
}
