namespace StockFlow.Cli.Hosting;

/// <summary>A failure the user can fix; its message says what is wrong and what to do. Exit code 1.</summary>
public class CliException : Exception
{
    /// <summary>Without a message.</summary>
    public CliException()
    {
    }

    /// <summary>With the one line printed after <c>error: </c>.</summary>
    public CliException(string message)
        : base(message)
    {
    }

    /// <summary>With the one line printed after <c>error: </c> and the failure behind it (shown only with <c>--verbose</c>).</summary>
    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The process exit code this failure ends in.</summary>
    public virtual int ExitCode => ExitCodes.Failure;
}

/// <summary>The command line itself is wrong (a missing or empty argument, options that do not go together). Exit code 2.</summary>
public sealed class CliUsageException : CliException
{
    /// <summary>Without a message.</summary>
    public CliUsageException()
    {
    }

    /// <summary>With the one line printed after <c>error: </c>, naming the argument or option to fix.</summary>
    public CliUsageException(string message)
        : base(message)
    {
    }

    /// <summary>With the one line printed after <c>error: </c> and the failure behind it (shown only with <c>--verbose</c>).</summary>
    public CliUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary><see cref="ExitCodes.Usage"/> (2).</summary>
    public override int ExitCode => ExitCodes.Usage;
}

/// <summary>The exit codes of <c>stockflow</c>.</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked (a run whose execution succeeded).</summary>
    public const int Success = 0;

    /// <summary>The command ran and failed (bad file, failed execution, rejected query...).</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong: unknown option, missing argument, options that conflict.</summary>
    public const int Usage = 2;

    /// <summary>Cancelled with Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
