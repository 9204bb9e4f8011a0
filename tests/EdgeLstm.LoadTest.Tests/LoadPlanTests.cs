using EdgeLstm.Core;
using EdgeLstm.LoadTest;
using EdgeLstm.LoadTest.Cli;

namespace EdgeLstm.LoadTest.Tests;

public sealed class LoadPlanTests
{
    private static LoadPlan? Plan(string broker = "mqtt://127.0.0.1:1883", int boards = 1000, double rate = 10, int duration = 60, string prefix = "load-", double connectRate = 200, int drain = 30) =>
        LoadPlan.TryCreate(broker, boards, rate, duration, prefix, connectRate, drain, out _);

    [Fact]
    public void The_defaults_make_a_plan()
    {
        LoadPlan plan = Plan()!;
        Assert.Equal(("127.0.0.1", 1883, 1000), (plan.BrokerHost, plan.BrokerPort, plan.Boards));
        Assert.Equal("load-0042", plan.DeviceId(42));
    }

    [Fact]
    public void A_broker_without_a_port_is_on_1883() => Assert.Equal(1883, Plan(broker: "mqtt://localhost")!.BrokerPort);

    [Fact]
    public void The_hard_limit_covers_connect_publish_and_drain()
    {
        LoadPlan plan = Plan(boards: 1000, connectRate: 100, duration: 60, drain: 30)!;
        Assert.True(plan.HardLimit >= TimeSpan.FromSeconds(10 + 60 + 30));
        Assert.True(plan.HardLimit <= TimeSpan.FromSeconds(10 + 60 + 30 + 120));
    }

    [Theory]
    [InlineData("mqtt://10.0.0.5:1883", "loopback")]
    [InlineData("mqtts://127.0.0.1:8883", "mqtt://127.0.0.1:PORT")]
    [InlineData("127.0.0.1:1883", "mqtt://127.0.0.1:PORT")]
    public void A_broker_that_is_not_plain_loopback_mqtt_is_refused(string broker, string expected)
    {
        Assert.Null(LoadPlan.TryCreate(broker, 10, 10, 60, "load-", 200, 30, out string problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 10, 60, "load-", 200, 30, "--boards")]
    [InlineData(100_001, 10, 60, "load-", 200, 30, "--boards")]
    [InlineData(10, 0, 60, "load-", 200, 30, "--rate-hz")]
    [InlineData(10, double.NaN, 60, "load-", 200, 30, "--rate-hz")]
    [InlineData(10, 10, 0, "load-", 200, 30, "--duration")]
    [InlineData(10, 10, 60, "", 200, 30, "--device-prefix")]
    [InlineData(10, 10, 60, "load/", 200, 30, "--device-prefix")]
    [InlineData(10, 10, 60, "load-", 0, 30, "--connect-rate")]
    [InlineData(10, 10, 60, "load-", 200, 0, "--drain-timeout")]
    public void A_value_out_of_range_is_one_line_naming_its_option(int boards, double rate, int duration, string prefix, double connectRate, int drain, string option)
    {
        Assert.Null(LoadPlan.TryCreate("mqtt://127.0.0.1:1883", boards, rate, duration, prefix, connectRate, drain, out string problem));
        Assert.StartsWith(option, problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }

    [Theory]
    [InlineData("--boards", "0")]
    [InlineData("--rate-hz", "-1")]
    [InlineData("--watch", "collector")]
    [InlineData("--watch", "collector=abc")]
    [InlineData("--no-such-option", "1")]
    public void Bad_arguments_exit_2(string option, string value)
    {
        Assert.Equal(ExitCodes.BadInput, Program.Main(["--broker", "mqtt://127.0.0.1:1", option, value]));
    }

    [Fact]
    public void A_missing_broker_exits_2() => Assert.Equal(ExitCodes.BadInput, Program.Main(["--boards", "1"]));
}
