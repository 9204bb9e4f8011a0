using EdgeLstm.Protocol;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeLstm.Collector.Push;

/// <summary>What the broker said to a published update.</summary>
internal enum PublishOutcome
{
    /// <summary>The broker took it (PUBACK, success): a subscribed board gets it now, a board away with a persistent session when it comes back.</summary>
    Accepted,

    /// <summary>The broker took it but no client is subscribed to the topic, so nobody will get it (MQTT 5 reason 16).</summary>
    NoSubscribers,
}

/// <summary>A signed update could not be handed to the broker; the message says why, on one line.</summary>
internal sealed class PublishException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Publishes one sealed update command to <c>edgelstm/&lt;deviceId&gt;/cmd</c> with a short-lived MQTT 5 client:
/// QoS 1, not retained (a retained command would be replayed to every new subscriber; the board refuses a replay,
/// but it need not see one), and returns once the broker's PUBACK arrived. Every network step is bounded.
/// </summary>
internal static class UpdatePublisher
{
    /// <summary>How long connecting and the PUBACK may take, each.</summary>
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Connects to <paramref name="broker"/>, publishes <paramref name="message"/> for <paramref name="deviceId"/>, waits for the PUBACK and disconnects.</summary>
    /// <exception cref="PublishException">The broker cannot be reached, refuses the login or refuses the message.</exception>
    public static async Task<PublishOutcome> PublishAsync(MqttBrokerAddress broker, string deviceId, byte[] message, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(broker);
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        MqttClientOptionsBuilder options = new MqttClientOptionsBuilder()
            .WithTcpServer(broker.Host, broker.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId($"edgelstm-push-{Guid.NewGuid():N}")
            .WithCleanStart(true)
            .WithTimeout(NetworkTimeout);
        if (broker.UseTls) options = options.WithTlsOptions(tls => tls.UseTls().WithTargetHost(broker.Host));
        if (broker.Username is not null) options = options.WithCredentials(broker.Username, broker.Password);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(NetworkTimeout);
        try
        {
            MqttClientConnectResult connected = await client.ConnectAsync(options.Build(), timeout.Token).ConfigureAwait(false);
            if (connected.ResultCode != MqttClientConnectResultCode.Success)
                throw new PublishException($"the broker {broker} refused the connection: {connected.ResultCode}{(string.IsNullOrEmpty(connected.ReasonString) ? "" : " " + connected.ReasonString)}");
        }
        catch (Exception e) when (e is not PublishException)
        {
            throw new PublishException($"cannot reach the broker {broker}: {Describe(e)}", e);
        }

        MqttApplicationMessage update = new MqttApplicationMessageBuilder()
            .WithTopic(MqttTopics.For(deviceId, MqttTopics.Command))
            .WithPayload(message)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(false)
            .Build();
        MqttClientPublishResult result;
        try
        {
            using var pubAck = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            pubAck.CancelAfter(NetworkTimeout);
            result = await client.PublishAsync(update, pubAck.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw new PublishException($"the broker {broker} did not acknowledge the command: {Describe(e)}", e);
        }
        finally
        {
            await DisconnectAsync(client).ConfigureAwait(false);
        }
        return result.ReasonCode switch
        {
            MqttClientPublishReasonCode.Success => PublishOutcome.Accepted,
            MqttClientPublishReasonCode.NoMatchingSubscribers => PublishOutcome.NoSubscribers,
            _ => throw new PublishException($"the broker {broker} refused the command: {result.ReasonCode}{(string.IsNullOrEmpty(result.ReasonString) ? "" : " " + result.ReasonString)}"),
        };
    }

    private static async Task DisconnectAsync(IMqttClient client)
    {
        if (!client.IsConnected) return;
        try
        {
            using var timeout = new CancellationTokenSource(NetworkTimeout);
            await client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // the command is out; a disconnect that fails changes nothing
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>An exception and what caused it, on one line.</summary>
    private static string Describe(Exception e)
    {
        if (e is OperationCanceledException) return $"no answer within {NetworkTimeout.TotalSeconds:0} s";
        string message = e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal) ? $"{e.Message} ({inner.Message})" : e.Message;
        return message.ReplaceLineEndings(" ");
    }
}
