using System.CommandLine;
using EdgeLstm.Collector.Monitor.Auth;
using EdgeLstm.Core;

namespace EdgeLstm.Collector.Cli;

/// <summary><c>edgelstm-collector user add NAME --users FILE</c>: reads a password from stdin and writes the user's hashed line.</summary>
internal static class UserCommand
{
    /// <summary>The command; the password is the first line of <paramref name="input"/>.</summary>
    public static Command Create(TextReader input)
    {
        var name = new Argument<string>("NAME") { Description = "The user name (no colon)." };
        var users = new Option<string>("--users") { Description = "The users file to write (created if missing; the user's older line is replaced).", Required = true };
        var add = new Command("add", "Add a monitor user, or change their password: the password is read from stdin.") { name, users };
        add.SetAction(result =>
        {
            TextWriter error = result.InvocationConfiguration.Error;
            string user = result.GetValue(name)!;
            if (!UsersFile.IsValidName(user))
            {
                error.WriteLine($"edgelstm-collector: a user name must be 1…100 characters without ':' or surrounding spaces; got '{user}'.");
                return ExitCodes.BadInput;
            }
            string? password = input.ReadLine();
            if (string.IsNullOrEmpty(password))
            {
                error.WriteLine("edgelstm-collector: no password on stdin.");
                return ExitCodes.BadInput;
            }
            UsersFile.Add(result.GetValue(users)!, user, password);
            result.InvocationConfiguration.Output.WriteLine($"edgelstm-collector: user {user} written to {result.GetValue(users)}");
            return ExitCodes.Success;
        });
        return new Command("user", "Manage the web monitor's users (a file for run --users).") { add };
    }
}
