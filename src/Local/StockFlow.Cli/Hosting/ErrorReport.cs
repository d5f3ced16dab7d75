using System.Text.Json;
using Microsoft.Data.Sqlite;
using StockFlow.GlueAthena.Local.Catalog;
using StockFlow.GlueAthena.Local.Sandbox;
using StockFlow.Asl;
using StockFlow.Asl.Model;
using StockFlow.Core.Symbols;
using StockFlow.Functions.Hosting;
using StockFlow.Providers;
using StockFlow.Runtime.Local;
using StockFlow.Runtime.Local.Executions;

namespace StockFlow.Cli.Hosting;

/// <summary>
/// The one place a failure becomes what the user sees: one line (what is wrong, what to do) and an exit
/// code; the stack trace only with <c>--verbose</c>.
/// </summary>
internal static class ErrorReport
{
    public static int Report(Exception exception, CliConsole console, bool verbose)
    {
        var (code, message) = Describe(exception);
        console.WriteError(message);
        if (verbose)
        {
            console.Error.WriteLine(exception.ToString());
        }

        return code;
    }

    /// <summary>The exit code and the one-line message for a failure.</summary>
    public static (int ExitCode, string Message) Describe(Exception exception) => exception switch
    {
        CliException e => (e.ExitCode, e.Message),
        OperationCanceledException => (ExitCodes.Cancelled, "Cancelled."),

        // Named failures of the libraries: their messages are written for the user.
        QueryRejectedException or QuerySqlException or QueryLimitException or QueryTableChangedException or CuratedTableDamagedException => (ExitCodes.Failure, exception.Message),
        DataDirectoryException or LandingImportException or ConfigurationFileException => (ExitCodes.Failure, exception.Message),
        ExecutionNotFoundException or ExecutionNotRedrivableException or ExecutionHistoryCorruptException => (ExitCodes.Failure, exception.Message),
        LakeBusyException => (ExitCodes.Failure, exception.Message),
        ProviderConfigurationException or UnknownProviderException => (ExitCodes.Failure, exception.Message),
        CatalogCorruptException => (ExitCodes.Failure, exception.Message),
        AslDefinitionException or StockFlow.Asl.Mocking.MockConfigurationException => (ExitCodes.Failure, exception.Message),
        InvalidSymbolException => (ExitCodes.Usage, exception.Message),
        SqliteException { SqliteErrorCode: 11 or 26 } e =>
            (ExitCodes.Failure, $"The execution history database is damaged ({e.Message}). Move executions.db aside (mv executions.db executions.db.corrupt) to start a new history."),

        // The file system said no: the message names the path.
        UnauthorizedAccessException or FileNotFoundException or DirectoryNotFoundException =>
            (ExitCodes.Failure, $"{exception.Message} Check the path and its permissions."),
        IOException => (ExitCodes.Failure, $"{exception.Message} (an I/O error; check the disk and the path)."),
        JsonException => (ExitCodes.Failure, $"Not valid JSON: {exception.Message}"),

        _ => (ExitCodes.Failure,
            $"Unexpected failure ({exception.GetType().Name}): {FirstLine(exception.Message)} This is a bug in StockFlow; rerun with --verbose for the stack trace and report it."),
    };

    private static string FirstLine(string message)
    {
        var end = message.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).Trim();
    }
}
