using System.CommandLine;
using System.Globalization;
using System.Net;
using Spectre.Console;
using StockFlow.ControlPlane.Hosting;

namespace StockFlow.Cli.Commands;

/// <summary><c>stockflow serve</c>: the local console, the Step Functions API and the scheduler.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = $"TCP port (default {ControlPlaneOptions.DefaultPort}; 0 picks a free one).", DefaultValueFactory = _ => ControlPlaneOptions.DefaultPort };
        var address = new Option<string>("--address") { Description = "Address to listen on (default 127.0.0.1).", DefaultValueFactory = _ => "127.0.0.1" };
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Allow an address other than loopback (needs --access-token)." };
        var token = new Option<string?>("--access-token") { Description = "Token clients other than loopback must present (default $STOCKFLOW_ACCESS_TOKEN)." };
        var waitScale = new Option<double>("--wait-scale") { Description = "Scale for Wait states and retry back-offs: 1 is real time (default), 0 fast-forwards.", DefaultValueFactory = _ => 1 };
        var noWatch = new Option<bool>("--no-watch") { Description = "Do not start the pipeline when a CSV lands in the lake's landing/ prefix." };
        var config = new Option<string?>("--config") { Description = "JSON configuration file (Providers, Schedules); default $STOCKFLOW_CONFIG or ./stockflow.json." };
        var dataDir = CommonOptions.DataDir();
        var command = new Command("serve", "Serve the local console (executions, graph, schedules, catalog, queries, reports) and the Step Functions API.")
        {
            port, address, allowRemote, token, waitScale, noWatch, config, dataDir,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!IPAddress.TryParse(parse.GetValue(address), out var ip))
            {
                return RunCommand.Fail($"'{parse.GetValue(address)}' is not an IP address.");
            }

            var options = new ControlPlaneOptions
            {
                DataDir = parse.GetValue(dataDir),
                Address = ip,
                Port = parse.GetValue(port),
                AllowRemote = parse.GetValue(allowRemote),
                AccessToken = parse.GetValue(token) ?? Environment.GetEnvironmentVariable("STOCKFLOW_ACCESS_TOKEN"),
                WaitScale = parse.GetValue(waitScale),
                WatchLanding = !parse.GetValue(noWatch),
                ConfigPath = parse.GetValue(config),
            };
            try
            {
                await using var server = await ControlPlaneServer.StartAsync(options, cancellationToken: cancellationToken);
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"StockFlow console on [link]{server.Address}[/]  (Step Functions API: --endpoint-url {server.Address.ToString().TrimEnd('/')})");
                AnsiConsole.MarkupLine("[grey]Ctrl+C stops it.[/]");
                await server.WaitForShutdownAsync(cancellationToken);
                return 0;
            }
            catch (ControlPlaneConfigurationException ex)
            {
                return RunCommand.Fail(ex.Message);
            }
            catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                return RunCommand.Fail($"Cannot listen on {ip}:{parse.GetValue(port)}: {ex.Message}");
            }
        });
        return command;
    }
}
