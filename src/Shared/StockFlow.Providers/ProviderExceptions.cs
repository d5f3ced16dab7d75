namespace StockFlow.Providers;

/// <summary>
/// A fetch failed. The concrete type's name is the error name a Lambda task reports and the state machine's
/// Retry/Catch rules match, so these names are a contract: do not rename them.
/// </summary>
public abstract class ProviderException : Exception
{
    /// <param name="symbol">The symbol being fetched, upper case.</param>
    /// <param name="message">One sentence for the user, naming the symbol and the source.</param>
    /// <param name="innerException">The HTTP or parse error behind it, if any.</param>
    protected ProviderException(string symbol, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Symbol = symbol;
    }

    /// <summary>The symbol whose fetch failed (the ingest records the error against it).</summary>
    public string Symbol { get; }

    /// <summary>True when trying again later may succeed.</summary>
    public abstract bool IsTransient { get; }
}

/// <summary>The source does not know the symbol (or has deleted it). Permanent: never retried.</summary>
public sealed class SymbolNotFoundException(string symbol, string message, Exception? innerException = null)
    : ProviderException(symbol, message, innerException)
{
    /// <inheritdoc/>
    public override bool IsTransient => false;
}

/// <summary>The source throttled us (HTTP 429 or a quota message). Transient: retry after a back-off.</summary>
public sealed class ProviderThrottledException(string symbol, string message, TimeSpan? retryAfter = null, Exception? innerException = null)
    : ProviderException(symbol, message, innerException)
{
    /// <summary>The wait the source asked for, when it said.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <inheritdoc/>
    public override bool IsTransient => true;
}

/// <summary>The source is down or unreachable (5xx, timeout, connection error, an HTML outage page). Transient.</summary>
public sealed class ProviderUnavailableException(string symbol, string message, Exception? innerException = null)
    : ProviderException(symbol, message, innerException)
{
    /// <inheritdoc/>
    public override bool IsTransient => true;
}

/// <summary>The source answered something we cannot read (malformed JSON, inconsistent arrays). Permanent for that request.</summary>
public sealed class InvalidProviderResponseException(string symbol, string message, Exception? innerException = null)
    : ProviderException(symbol, message, innerException)
{
    /// <inheritdoc/>
    public override bool IsTransient => false;
}

/// <summary>The request itself is wrong (a range that ends before it starts): the caller's mistake, never retried.</summary>
public sealed class InvalidPriceRequestException(string symbol, string message)
    : ProviderException(symbol, message)
{
    /// <inheritdoc/>
    public override bool IsTransient => false;
}

/// <summary>No provider has this name; the message lists the valid ones.</summary>
public sealed class UnknownProviderException : Exception
{
    /// <summary>Without a message (for serializers and tests; the code always gives one).</summary>
    public UnknownProviderException() { }

    /// <summary>With the sentence the user sees.</summary>
    public UnknownProviderException(string message) : base(message) { }

    /// <summary>With the sentence the user sees and the error behind it.</summary>
    public UnknownProviderException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>A provider setting (base URL, rate, retries, timeouts) is not usable; the message names the setting.</summary>
public sealed class ProviderConfigurationException : Exception
{
    /// <summary>Without a message (for serializers and tests; the code always gives one).</summary>
    public ProviderConfigurationException() { }

    /// <summary>With the sentence the user sees.</summary>
    public ProviderConfigurationException(string message) : base(message) { }

    /// <summary>With the sentence the user sees and the error behind it.</summary>
    public ProviderConfigurationException(string message, Exception innerException) : base(message, innerException) { }
}
