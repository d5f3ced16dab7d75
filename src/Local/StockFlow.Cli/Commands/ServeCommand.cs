using System.CommandLine;
using System.Globalization;
using System.Net;
using Spectre.Console;
using StockFlow.Cli.Hosting;
using StockFlow.ControlPlane.Hosting;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow serve</c>: the local console, the Step Functions API and the scheduler.</summary>
internal sealed class ServeCommand
{
    private readonly Option<int> _port = new("--port") { Description = $"TCP port (default {ControlPlaneOptions.DefaultPort}; 0 picks a free one).", DefaultValueFactory = _ => ControlPlaneOptions.DefaultPort };
    private readonly Option<string> _address = new("--address") { Description = "Address to listen on (default 127.0.0.1).", DefaultValueFactory = _ => "127.0.0.1" };
    private readonly Option<bool> _allowRemote = new("--allow-remote") { Description = "Allow an address other than loopback (needs --access-token)." };
    private readonly Option<string?> _token = new("--access-token") { Description = "Token clients other than loopback must present (default $STOCKFLOW_ACCESS_TOKEN)." };
    private readonly Option<double> _waitScale = new("--wait-scale") { Description = "Scale for Wait states and retry back-offs: 1 is real time (default), 0 fast-forwards.", DefaultValueFactory = _ => 1 };
    private readonly Option<bool> _noWatch = new("--no-watch") { Description = "Do not start the pipeline when a CSV lands in the lake's landing/ prefix." };
    private readonly Option<string?> _config = new("--config") { Description = "JSON configuration file (Providers, Schedules); default $STOCKFLOW_CONFIG or ./stockflow.json." };
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();

    public static Command Create() => new ServeCommand().Build();

    private Command Build()
    {
        var command = new Command("serve", "Serve the local console (executions, graph, schedules, catalog, queries, reports) and the Step Functions API.")
        {
            _port, _address, _allowRemote, _token, _waitScale, _noWatch, _config, _dataDir,
        };
        CliAction.Set(command, ExecuteAsync);
        return command;
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CliConsole console, CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(parse.GetValue(_address), out var ip))
        {
            throw new CliUsageException($"'{parse.GetValue(_address)}' is not an IP address.");
        }

        var options = new ControlPlaneOptions
        {
            DataDir = parse.GetValue(_dataDir),
            Address = ip,
            Port = parse.GetValue(_port),
            AllowRemote = parse.GetValue(_allowRemote),
            AccessToken = parse.GetValue(_token) ?? Environment.GetEnvironmentVariable("STOCKFLOW_ACCESS_TOKEN"),
            WaitScale = parse.GetValue(_waitScale),
            WatchLanding = !parse.GetValue(_noWatch),
            ConfigPath = parse.GetValue(_config),
        };
        try
        {
            await using var server = await ControlPlaneServer.StartAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
            console.Ansi.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"StockFlow console on [link]{server.Address}[/]  (Step Functions API: --endpoint-url {server.Address.ToString().TrimEnd('/')})");
            console.Ansi.MarkupLine("[grey]Ctrl+C stops it.[/]");
            await server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (ControlPlaneConfigurationException ex)
        {
            throw new CliException(ex.Message, ex);
        }
        catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException($"Cannot listen on {ip}:{parse.GetValue(_port)}: {ex.Message} Pick another --port.", ex);
        }
    }
}
