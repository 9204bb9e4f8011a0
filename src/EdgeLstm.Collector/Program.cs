using EdgeLstm.Collector.Cli;

return CollectorCli.Invoke(args, Console.Out, Console.Error);
