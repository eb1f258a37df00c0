using Nephele.Bench.Cli;

return await BenchCli.RunAsync(args);
