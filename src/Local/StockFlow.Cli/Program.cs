using StockFlow.Cli.Commands;

return await StockFlowCommandLine.InvokeAsync(args);
