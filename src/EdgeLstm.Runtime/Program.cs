using EdgeLstm.Runtime.Cli;

return EdgeLstmCli.Invoke(args);
