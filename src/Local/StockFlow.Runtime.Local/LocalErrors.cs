namespace StockFlow.Runtime.Local;

/// <summary>The --data-dir cannot hold a local StockFlow (it is a file, or cannot be created).</summary>
public sealed class DataDirectoryException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public DataDirectoryException()
    {
    }

    /// <summary>Creates the exception with a message for the user.</summary>
    public DataDirectoryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message for the user and the exception that caused it.</summary>
    public DataDirectoryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The --source of a CSV import cannot be imported (missing, a file, no usable CSV files).</summary>
public sealed class LandingImportException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public LandingImportException()
    {
    }

    /// <summary>Creates the exception with a message for the user.</summary>
    public LandingImportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message for the user and the exception that caused it.</summary>
    public LandingImportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The configuration file is missing, not JSON, or holds a value that is out of range.</summary>
public sealed class ConfigurationFileException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public ConfigurationFileException()
    {
    }

    /// <summary>Creates the exception with a message for the user.</summary>
    public ConfigurationFileException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message for the user and the exception that caused it.</summary>
    public ConfigurationFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
