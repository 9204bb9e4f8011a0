using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Runtime.Sinks;
using EdgeLstm.Runtime.Sinks.Tls;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Tests.Sinks;

/// <summary>A sink's <c>tls</c> object in a board file: checked field by field, paths relative to the file, the pin in either spelling.</summary>
public class SinkTlsConfigTests
{
    private static string Board(string sinks) =>
        $$"""{ "board": { "name": "b", "hardware": "raspberryPi4" }, "sampler": { "rateHz": 10 }, "devices": [ { "type": "ads1115", "name": "adc", "address": "0x48", "channels": [ { "name": "a0", "input": "AIN0" } ] } ], "sinks": {{sinks}} }""";

    [Fact]
    public void Tls_fields_are_checked_and_a_tls_object_where_no_tls_is_spoken_is_refused()
    {
        string sinks = """
            [ { "type": "mqtt", "broker": "mqtts://b", "tls": { "pinSha256": "12:34", "certFile": "board.pem" } },
              { "type": "mqtt", "broker": "mqtt://b", "tls": { "caFile": "ca.pem" } },
              { "type": "udp", "host": "c", "port": 7000, "tls": { } },
              { "type": "tcp", "host": "c", "port": 7000, "tls": { "serverName": "" } } ]
            """;
        var ex = Assert.Throws<BoardConfigException>(() => RuntimeBoardFile.Parse(Board(sinks), Repository.Root, RunOverrides.None, "test.json"));
        Assert.All(ex.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Hint), $"no hint for {p}"));
        Assert.Equal(["$.sinks[0].tls.pinSha256", "$.sinks[0].tls", "$.sinks[1].tls", "$.sinks[2].tls", "$.sinks[3].tls.serverName"], ex.Problems.Select(p => p.Path));
    }

    [Fact]
    public void Paths_are_relative_to_the_board_file_and_mqtts_without_tls_trusts_the_systems_CAs()
    {
        string sinks = """
            [ { "type": "mqtt", "broker": "mqtts://op:pw@broker.plant",
                "tls": { "caFile": "pki/ca.pem", "certFile": "/etc/edgelstm/board.pem", "keyFile": "board.key", "serverName": "broker" } } ]
            """;
        RuntimeSections sections = RuntimeBoardFile.Parse(Board(sinks), "/srv/board", RunOverrides.None).Sections;
        MqttSinkSettings settings = sections.Sinks![0].MqttSettings("pump-7", "/srv/board");
        Assert.Equal(new TlsClientOptions("/srv/board/pki/ca.pem", null, "/etc/edgelstm/board.pem", "/srv/board/board.key", "broker"), settings.Tls! with { PinSha256 = null });
        Assert.Equal(("op", "pw", 8883), (settings.Username, settings.Password, settings.Broker.Port));

        SinkConfig bare = new() { Type = SinkKind.Mqtt, Broker = "mqtts://broker.plant" };
        Assert.Equal(new TlsClientOptions(null, null, null, null, null), bare.MqttSettings("pump-7", "/srv/board").Tls);
        Assert.Null(new SinkConfig { Type = SinkKind.Mqtt, Broker = "mqtt://broker.plant" }.MqttSettings("pump-7", "/srv/board").Tls);
    }

    [Theory]
    [InlineData("2E:8A:91:BC:4F:FE:41:8D:5D:26:B6:B0:75:56:8F:EB:9A:7D:A8:C7:A1:05:DE:88:79:37:66:89:9A:CA:38:28")]
    [InlineData("2e8a91bc4ffe418d5d26b6b075568feb9a7da8c7a105de88793766899aca3828")]
    [InlineData("sha256:2E8A91BC4FFE418D5D26B6B075568FEB9A7DA8C7A105DE88793766899ACA3828")]
    public void A_pin_is_read_as_openssl_prints_it_or_as_plain_hex(string text)
    {
        Assert.True(TlsClientOptions.TryParsePin(text, out byte[] pin));
        Assert.Equal("2E:8A:91:BC:4F:FE:41:8D:5D:26:B6:B0:75:56:8F:EB:9A:7D:A8:C7:A1:05:DE:88:79:37:66:89:9A:CA:38:28", TlsClientOptions.FormatPin(pin));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2E:8A")]
    [InlineData("zz8a91bc4ffe418d5d26b6b075568feb9a7da8c7a105de88793766899aca3828")]
    [InlineData("2e8a91bc4ffe418d5d26b6b075568feb9a7da8c7a105de88793766899aca382800")]
    public void Anything_else_is_not_a_pin(string text) => Assert.False(TlsClientOptions.TryParsePin(text, out _));
}
