using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StockFlow.Cli.Hosting;

namespace StockFlow.Cli.Commands;

/// <summary>Reads the files a command line names, failing with one line that names the option and the path.</summary>
internal static class InputFiles
{
    public static string ReadText(string path, string what)
    {
        if (Directory.Exists(path))
        {
            throw new CliException($"{what} '{path}' is a folder, not a file.");
        }

        if (!File.Exists(path))
        {
            throw new CliException($"{what} '{path}' does not exist. Check the path.");
        }

        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{what} '{path}' cannot be read: {e.Message}", e);
        }
    }
}

/// <summary>A state-machine definition file: it must exist and be JSON (the ASL checks come after).</summary>
internal static class DefinitionFile
{
    public static string Read(string path, string what)
    {
        var text = InputFiles.ReadText(path, $"The definition file ({what})");
        try
        {
            using var _ = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new CliException($"The definition file '{path}' is not valid JSON ({e.Message}). An ASL definition is one JSON object with StartAt and States.", e);
        }

        return text;
    }
}

/// <summary>
/// Reads <c>--input</c>-like values: inline JSON, or <c>@path</c> to a JSON file. Execution input is capped at
/// 256 KiB, as Step Functions caps it, so a huge input is refused before anything is recorded.
/// </summary>
internal static class JsonInput
{
    /// <summary>Step Functions' limit on execution input and state payloads: 256 KiB of UTF-8.</summary>
    public const int MaxPayloadBytes = 256 * 1024;

    public static JsonNode? Read(string value, string option)
    {
        var text = value.StartsWith('@') ? InputFiles.ReadText(value[1..], $"The {option} file") : value;
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > MaxPayloadBytes)
        {
            throw new CliUsageException(
                $"{option} is {bytes:N0} bytes; Step Functions accepts at most {MaxPayloadBytes:N0} bytes (256 KiB). Pass a smaller input (put bulk data in the lake and pass its key).");
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new CliUsageException($"{option} is not valid JSON: {e.Message}", e);
        }
    }
}
