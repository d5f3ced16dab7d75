using System.Net;

namespace StockFlow.ControlPlane.Hosting;

/// <summary>How <c>stockflow serve</c> runs: where it listens, which data directory it serves, what it schedules.</summary>
public sealed record ControlPlaneOptions
{
    public const int DefaultPort = 8420;

    public string? DataDir { get; init; }

    /// <summary>127.0.0.1 unless the user asks for another address with <see cref="AllowRemote"/> and an access token.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>0 picks a free port (tests).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The explicit opt-in to listen on a non-loopback address.</summary>
    public bool AllowRemote { get; init; }

    /// <summary>Required from every non-loopback client (and required at all when listening beyond loopback).</summary>
    public string? AccessToken { get; init; }

    /// <summary>0 fast-forwards Wait states and retry back-offs; 1 is real time.</summary>
    public double WaitScale { get; init; } = 1;

    /// <summary>The JSON configuration file with the Providers and Schedules sections.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>Watch the lake's landing/ prefix and start the pipeline when a CSV lands.</summary>
    public bool WatchLanding { get; init; } = true;

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Checks the listening rules before anything starts.</summary>
    /// <exception cref="ControlPlaneConfigurationException">A non-loopback address without the flag or without a token.</exception>
    public void Validate()
    {
        if (IPAddress.IsLoopback(Address))
        {
            return;
        }

        if (!AllowRemote)
        {
            throw new ControlPlaneConfigurationException(
                $"Listening on {Address} exposes the console beyond this machine; pass --allow-remote with --access-token to do it on purpose.");
        }

        if (string.IsNullOrWhiteSpace(AccessToken) || AccessToken.Length < 16)
        {
            throw new ControlPlaneConfigurationException(
                "Listening beyond loopback needs --access-token with at least 16 characters (or $STOCKFLOW_ACCESS_TOKEN).");
        }
    }
}

/// <summary>The serve command's settings cannot work (address, token, schedules).</summary>
public sealed class ControlPlaneConfigurationException : Exception
{
    public ControlPlaneConfigurationException()
    {
    }

    public ControlPlaneConfigurationException(string message)
        : base(message)
    {
    }

    public ControlPlaneConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
