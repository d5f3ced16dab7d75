using System.Net;

namespace StockFlow.ControlPlane.Hosting;

/// <summary>
/// How <c>stockflow serve</c> runs: where it listens, which data directory it serves, what it schedules. A new instance
/// holds the defaults each property names: loopback, port 8420, real-time waits, the landing watcher on.
/// </summary>
public sealed record ControlPlaneOptions
{
    /// <summary>The port <c>stockflow serve</c> listens on when <c>--port</c> is not given.</summary>
    public const int DefaultPort = 8420;

    /// <summary>The data directory served (lake, catalog, <c>executions.db</c>). Default null: <c>./.stockflow</c>
    /// (<see cref="Runtime.Local.DataDirectory.DefaultPath"/>), created when missing.</summary>
    public string? DataDir { get; init; }

    /// <summary>The address listened on. Default <see cref="IPAddress.Loopback"/> (127.0.0.1); any other address needs
    /// <see cref="AllowRemote"/> and an <see cref="AccessToken"/> (<see cref="Validate"/> checks).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The TCP port. Default <see cref="DefaultPort"/> (8420); 0 picks a free port (tests).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The explicit opt-in to listen on a non-loopback address. Default false.</summary>
    public bool AllowRemote { get; init; }

    /// <summary>The token every non-loopback client must send (at least 16 characters; required when listening beyond
    /// loopback). Default null: no token, which only loopback allows.</summary>
    public string? AccessToken { get; init; }

    /// <summary>Multiplies every Wait state and retry back-off of the executions the server runs: 1 is real time,
    /// 0 fast-forwards them. Default 1: a served pipeline waits as Step Functions would.</summary>
    public double WaitScale { get; init; } = 1;

    /// <summary>The JSON configuration file with the <c>Providers</c>, <c>Pipeline</c> and <c>Schedules</c> sections.
    /// Default null: <c>$STOCKFLOW_CONFIG</c>, else <c>./stockflow.json</c> when it exists, else built-in defaults and no
    /// schedule.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>Watch the lake's <c>landing/</c> prefix and start the pipeline for the CSVs that land there (files landing
    /// within 2 s start one run). Default true; <c>--no-watch</c> turns it off.</summary>
    public bool WatchLanding { get; init; } = true;

    /// <summary>The clock of the scheduler, the executions and the console. Default <see cref="TimeProvider.System"/>;
    /// tests pass a fake one.</summary>
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
    /// <summary>Creates the exception with a generic message.</summary>
    public ControlPlaneConfigurationException()
    {
    }

    /// <summary>Creates the exception with a message for the user.</summary>
    public ControlPlaneConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message for the user and the exception that caused it.</summary>
    public ControlPlaneConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
