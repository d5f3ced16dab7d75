using StockFlow.Cli.Commands;

return await StockFlowCommandLine.Build().Parse(args).InvokeAsync();
