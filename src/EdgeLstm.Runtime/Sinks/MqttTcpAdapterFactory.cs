using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;

namespace EdgeLstm.Runtime.Sinks;

/// <summary>
/// MQTTnet's client transport, TCP (and TLS over it) only. MQTTnet's default factory can also open WebSocket
/// channels, and referencing that pulls the WebSocket and HTTP stacks into the board's Native-AOT binary (about
/// 5 MB on linux-arm64, measured); a board talks to its broker over TCP, so this factory leaves them out.
/// </summary>
internal sealed class MqttTcpAdapterFactory : IMqttClientAdapterFactory
{
    /// <summary>A client that can only connect over TCP.</summary>
    public static IMqttClient CreateClient() => new MqttClientFactory(new MqttNetNullLogger(), new MqttTcpAdapterFactory()).CreateMqttClient();

    /// <inheritdoc />
    public IMqttChannelAdapter CreateClientAdapter(MqttClientOptions options, MqttPacketInspector packetInspector, IMqttNetLogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ChannelOptions is not MqttClientTcpOptions)
            throw new NotSupportedException("the board's MQTT client connects over TCP only");
        var packets = new MqttPacketFormatterAdapter(options.ProtocolVersion, new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax));
        return new MqttChannelAdapter(new MqttTcpChannel(options), packets, logger)
        {
            AllowPacketFragmentation = options.AllowPacketFragmentation,
            PacketInspector = packetInspector,
        };
    }
}
