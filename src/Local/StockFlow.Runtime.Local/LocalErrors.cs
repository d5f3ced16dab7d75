namespace StockFlow.Runtime.Local;

/// <summary>The --data-dir cannot hold a local StockFlow (it is a file, or cannot be created).</summary>
public sealed class DataDirectoryException : Exception
{
    public DataDirectoryException()
    {
    }

    public DataDirectoryException(string message)
        : base(message)
    {
    }

    public DataDirectoryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The --source of a CSV import cannot be imported (missing, a file, no usable CSV files).</summary>
public sealed class LandingImportException : Exception
{
    public LandingImportException()
    {
    }

    public LandingImportException(string message)
        : base(message)
    {
    }

    public LandingImportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The configuration file is missing, not JSON, or holds a value that is out of range.</summary>
public sealed class ConfigurationFileException : Exception
{
    public ConfigurationFileException()
    {
    }

    public ConfigurationFileException(string message)
        : base(message)
    {
    }

    public ConfigurationFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
