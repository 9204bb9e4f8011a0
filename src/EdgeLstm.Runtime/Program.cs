using System.CommandLine;
using EdgeLstm.Runtime.Cli;

var root = new RootCommand("edgelstm: runs a recurrent fault-prediction model on sensor data and emits predictions.")
{
    RunCommand.Create(),
    ValidateCommand.Create(),
    InfoCommand.Create(),
    SelfTestCommand.Create(),
};
// With no arguments, run the embedded demo board: `edgelstm` and `edgelstm run` do the same.
return root.Parse(args.Length == 0 ? ["run"] : args).Invoke();
