using EdgeLstm.Collector.Ingest.Mqtt;
using EdgeLstm.Protocol;

namespace EdgeLstm.Collector.Tests.Ingest;

/// <summary>The pure parts of the MQTT ingest: topics, broker URLs, range Acks.</summary>
public sealed class MqttContractTests
{
    [Theory]
    [InlineData("edgelstm/pump-07/prediction", MqttTopicKind.Frame, "pump-07")]
    [InlineData("edgelstm/pump-07/hello", MqttTopicKind.Frame, "pump-07")]
    [InlineData("edgelstm/pump-07/status", MqttTopicKind.Status, "pump-07")]
    [InlineData("edgelstm/pump-07/event", MqttTopicKind.Frame, "pump-07")]
    [InlineData("edgelstm/pump-07/ack", MqttTopicKind.Invalid, "pump-07")]
    [InlineData("edgelstm/pump-07/cmd", MqttTopicKind.Invalid, "pump-07")]
    [InlineData("edgelstm//prediction", MqttTopicKind.Invalid, "")]
    [InlineData("edgelstm/pump\u000107/prediction", MqttTopicKind.Invalid, "pump\u000107")]
    [InlineData("edgelstm/a/b/prediction", MqttTopicKind.Invalid, "")]
    [InlineData("other/pump-07/prediction", MqttTopicKind.Invalid, "")]
    internal void A_topic_names_its_kind_and_device(string topic, MqttTopicKind kind, string device)
    {
        Assert.Equal(kind, MqttTopic.Parse(topic, out string parsed));
        Assert.Equal(device, parsed);
    }

    [Fact]
    public void A_device_id_may_have_128_UTF8_bytes_not_129()
    {
        Assert.True(MqttTopic.IsAcceptableDeviceId(new string('é', 64))); // 2 bytes each
        Assert.False(MqttTopic.IsAcceptableDeviceId(new string('é', 64) + "x"));
    }

    [Fact]
    public void The_collector_subscribes_per_kind_so_it_never_receives_Acks()
    {
        Assert.Equal(
            ["$share/edgelstm/edgelstm/+/hello", "$share/edgelstm/edgelstm/+/prediction", "$share/edgelstm/edgelstm/+/alarm", "$share/edgelstm/edgelstm/+/health", "$share/edgelstm/edgelstm/+/event",
                "$share/edgelstm/edgelstm/+/status"],
            MqttTopic.Filters(shared: true));
        Assert.DoesNotContain(MqttTopic.Filters(shared: false), f => f.EndsWith("/+", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("mqtt://broker.example.net", "broker.example.net", 1883, false, null, null)]
    [InlineData("mqtts://broker.example.net", "broker.example.net", 8883, true, null, null)]
    [InlineData("mqtt://10.0.0.5:11883/", "10.0.0.5", 11883, false, null, null)]
    [InlineData("mqtts://collector:p%40ss@broker:8884", "broker", 8884, true, "collector", "p@ss")]
    [InlineData("mqtt://[::1]:1884", "::1", 1884, false, null, null)]
    public void A_broker_URL_gives_host_port_TLS_and_credentials(string url, string host, int port, bool tls, string? username, string? password)
    {
        Assert.True(MqttBrokerAddress.TryParse(url, out MqttBrokerAddress? address, out string problem), problem);
        Assert.Equal(new MqttBrokerAddress(host, port, tls, username, password), address);
        Assert.DoesNotContain("p@ss", address!.ToString(), StringComparison.Ordinal); // never printed
    }

    [Fact]
    public void Range_Acks_are_one_per_run_of_consecutive_sequences_per_device_duplicates_included()
    {
        var frames = Frames.Received("a", Frames.Prediction(3), Frames.Prediction(1), Frames.Prediction(2), Frames.Prediction(2), Frames.Prediction(7))
            .Concat(Frames.Received("b", Frames.Prediction(ulong.MaxValue), Frames.Prediction(0)));

        Assert.Equal(
            [new AckRange("a", 1, 3), new AckRange("a", 7, 7), new AckRange("b", 0, 0), new AckRange("b", ulong.MaxValue, ulong.MaxValue)],
            RangeAcks.Of(frames));
    }

    [Fact]
    public void Pending_Acks_of_several_batches_join_runs_that_continue_across_them_and_are_taken_once()
    {
        var pending = new PendingAcks();
        pending.Add(Frames.Received("a", Frames.Prediction(1), Frames.Prediction(2), Frames.Prediction(3)));
        pending.Add(Frames.Received("a", Frames.Prediction(4), Frames.Prediction(5)).Concat(Frames.Received("b", Frames.Prediction(9))));
        pending.Add(Frames.Received("a", Frames.Prediction(8)));

        Assert.True(pending.Any);
        Assert.Equal([new AckRange("a", 1, 5), new AckRange("a", 8, 8), new AckRange("b", 9, 9)], pending.Take());
        Assert.False(pending.Any);
        Assert.Empty(pending.Take());
    }
}
