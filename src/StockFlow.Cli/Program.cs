using StockFlow.Cli.Commands;

return await StockFlowCommandLine.Parse(args).InvokeAsync();
