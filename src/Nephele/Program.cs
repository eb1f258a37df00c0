using Nephele.Cli;

return await NepheleCli.RunAsync(args);
