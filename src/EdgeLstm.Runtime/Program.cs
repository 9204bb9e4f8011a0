using System.CommandLine;
using EdgeLstm.Runtime.Cli;

var root = new RootCommand("edgelstm: runs a recurrent fault-prediction model on sensor data and emits predictions.")
{
    InfoCommand.Create(),
    SelfTestCommand.Create(),
};
return root.Parse(args).Invoke();
