using System.CommandLine;
using EdgeLstm.Core;
using EdgeLstm.Core.Diagnostics;

namespace EdgeLstm.Runtime.Cli;

/// <summary><c>edgelstm selftest</c>: checks this CPU's SIMD paths against the scalar ones.</summary>
internal static class SelfTestCommand
{
    public static Command Create()
    {
        var fingerprintOnly = new Option<bool>("--fingerprint") { Description = "Print only the int8 fingerprint (equal on every machine)." };
        var command = new Command("selftest", "Check that every SIMD kernel this CPU runs agrees with the scalar one, and print the int8 fingerprint.")
        {
            fingerprintOnly,
        };
        command.SetAction(result => Run(result.GetValue(fingerprintOnly), result.InvocationConfiguration.Output));
        return command;
    }

    public static int Run(bool fingerprintOnly, TextWriter output)
    {
        if (fingerprintOnly)
        {
            output.WriteLine(KernelSelfTest.Int8Fingerprint());
            return ExitCodes.Success;
        }
        output.WriteLine(KernelSelfTest.DescribePaths());
        bool allPassed = true;
        foreach (SelfTestCheck check in KernelSelfTest.Run())
        {
            output.WriteLine($"{(check.Passed ? "ok  " : "FAIL")} {check.Name}: {check.Detail}");
            allPassed &= check.Passed;
        }
        return allPassed ? ExitCodes.Success : ExitCodes.CheckFailed;
    }
}
