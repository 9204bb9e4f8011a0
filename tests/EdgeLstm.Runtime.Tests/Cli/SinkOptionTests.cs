using EdgeLstm.Core;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Runtime.Sinks;

namespace EdgeLstm.Runtime.Tests.Cli;

/// <summary><c>edgelstm run --sink URI --device-id ID</c>: any board, the embedded demo included, pointed elsewhere from the command line.</summary>
public class SinkOptionTests
{
    private static (int Exit, string Log) Run(params string[] sinks) => Run(sinks, deviceId: null);

    private static (int Exit, string Log) Run(string[] sinks, string? deviceId)
    {
        var log = new StringWriter();
        int exit = RunCommand.Run(new RunOptions(null, null, TimeSpan.FromSeconds(5), null, OutputFormat.Text, Sinks: sinks, DeviceId: deviceId), Stream.Null, log, CancellationToken.None);
        return (exit, log.ToString());
    }

    [Theory]
    [InlineData("carrier-pigeon://loft", "'carrier-pigeon://loft' is not a sink")]
    [InlineData("tcp://collector.local", "a tcp sink needs a host and a port")]
    [InlineData("serial:/dev/ttyAMA0@fast", "'fast' is not a baud rate")]
    [InlineData("mqtt://", "names no host")]
    [InlineData("mqtt://broker.local:1883/edgelstm?x=1", "has a path, query or fragment")]
    [InlineData("mqtt://broker.local:99999", "is not a URL")]
    [InlineData("mqtts://broker.local?pin=12ab", "is not a SHA-256 fingerprint")]
    [InlineData("mqtts://broker.local?cert=board.pem", "a client certificate needs both certFile and keyFile")]
    [InlineData("mqtts://broker.local?colour=blue", "'colour' is not a TLS setting")]
    [InlineData("mqtt://broker.local?ca=ca.pem", "TLS settings for a plain broker")]
    [InlineData("tcp://collector.local:7000?pin=00", "a tcp sink needs a host and a port")]
    public void A_sink_that_cannot_be_read_exits_2_naming_the_option(string sink, string named)
    {
        (int exit, string log) = Run(sink);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains($"--sink ", log, StringComparison.Ordinal);
        Assert.Contains(named, log, StringComparison.Ordinal);
    }

    [Fact]
    public void A_password_in_a_sink_uri_never_reaches_the_log()
    {
        (int exit, string log) = Run("mqtt://operator:s3cret@broker.local:1883/path");
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.DoesNotContain("s3cret", log, StringComparison.Ordinal);
        Assert.Contains("--sink mqtt://…@broker.local:1883/path", log, StringComparison.Ordinal);
    }

    [Fact]
    public void A_password_in_a_tls_sink_uri_never_reaches_the_log()
    {
        (int exit, string log) = Run("mqtts://operator:s3cret@broker.local:8883?pin=zz");
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.DoesNotContain("s3cret", log, StringComparison.Ordinal);
        Assert.Contains("mqtts://…@broker.local:8883", log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mqtts://127.0.0.1:1?ca=/nonexistent/ca.pem", "sinks[0] (mqtt): cannot be opened: the CA file '/nonexistent/ca.pem' does not exist.")]
    [InlineData("tcps://127.0.0.1:1?cert=/nonexistent/board.pem&key=/nonexistent/board.key", "sinks[0] (tcp): cannot be opened: the client certificate '/nonexistent/board.pem' does not exist.")]
    public void A_tls_file_that_does_not_exist_stops_the_start_with_exit_2(string sink, string sentence)
    {
        (int exit, string log) = Run(sink);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains(sentence, log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("line/7", "contains '/'")]
    [InlineData("pump#1", "contains '#'")]
    [InlineData("", "the device id is empty")]
    public void A_device_id_that_cannot_be_a_topic_level_is_refused_for_an_mqtt_sink(string deviceId, string named)
    {
        (int exit, string log) = Run(["mqtt://127.0.0.1:1"], deviceId);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("--device-id", log, StringComparison.Ordinal);
        Assert.Contains(named, log, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sinks_and_device_id_given_replace_the_configs()
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgelstm-sink-{Guid.NewGuid():N}.bin");
        try
        {
            var log = new StringWriter();
            using var stdout = new MemoryStream();
            int exit = RunCommand.Run(new RunOptions(null, null, null, null, OutputFormat.Text, Sinks: ["null", $"file:{path}"], DeviceId: "pump-house-3"), stdout, log, CancellationToken.None);
            Assert.Equal(ExitCodes.Success, exit);
            Assert.Equal(0, stdout.Length); // stdout is no longer a sink
            Assert.Contains("frames to null, file", log.ToString(), StringComparison.Ordinal);
            using FileStream file = File.OpenRead(path);
            EdgeLstm.Protocol.DecodeResult hello = EdgeLstm.Protocol.FrameStreamReader.ReadAllAsync(file).ToBlockingEnumerable().First();
            Assert.Equal("pump-house-3", hello.Hello.DeviceId);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("stdout", "stdout")]
    [InlineData("null", "null")]
    [InlineData("file:frames.bin", "file")]
    [InlineData("udp://10.0.0.5:7001", "udp")]
    [InlineData("serial:/dev/ttyUSB0", "serial")]
    [InlineData("mqtts://broker.plant:8883", "mqtt")]
    public void Every_documented_form_reads_as_its_sink(string uri, string type)
    {
        Assert.True(SinkUri.TryParse(uri, out System.Text.Json.Nodes.JsonObject sink, out string? problem), problem);
        Assert.Equal(type, (string?)sink["type"]);
    }

    [Fact]
    public void A_broker_uri_gives_its_credentials_port_and_tls()
    {
        Assert.True(MqttBrokerAddress.TryParse("mqtts://op%40site:p%3Ass@broker.plant", out MqttBrokerAddress? tls, out _));
        Assert.Equal(new MqttBrokerAddress("broker.plant", 8883, true, "op@site", "p:ss"), tls);
        Assert.True(MqttBrokerAddress.TryParse("mqtt://10.1.2.3", out MqttBrokerAddress? plain, out _));
        Assert.Equal(1883, plain!.Port);
        Assert.DoesNotContain("p:ss", tls!.ToString(), StringComparison.Ordinal);
    }
}
