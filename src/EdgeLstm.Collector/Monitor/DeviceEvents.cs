using System.Text.Json;
using EdgeLstm.Collector.Monitor.Charts;
using EdgeLstm.Collector.Storage;
using Microsoft.AspNetCore.Http;

namespace EdgeLstm.Collector.Monitor;

/// <summary>
/// <c>/devices/{id}/events</c>: Server-Sent Events that keep a device page live. Once a second the store is asked
/// for the device's predictions in the page's range; when there are new ones (more, or a higher last sequence) the
/// chart is redrawn and sent. Polling the store, not the ingest, is what keeps it right when several collectors write
/// one PostgreSQL database.
/// </summary>
internal static class DeviceEvents
{
    /// <summary>How often the store is asked.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Streams until the client goes away or the server stops.</summary>
    public static async Task Stream(HttpContext context, IFrameStore store, string deviceId, TimeRange range, CancellationToken stopping)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        HttpResponse response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        (int Count, ulong Last) sent = (-1, 0);
        try
        {
            while (!done.IsCancellationRequested)
            {
                (IReadOnlyList<PredictionRecord> predictions, _, string svg) = DeviceCharts.Outputs(store, deviceId, range);
                (int, ulong) now = (predictions.Count, predictions.Count == 0 ? 0 : predictions[^1].Sequence);
                if (now != sent)
                {
                    string json = JsonSerializer.Serialize(new LiveUpdate(predictions.Count, svg), MonitorJson.Default.LiveUpdate);
                    await response.WriteAsync($"event: frames\ndata: {json}\n\n", done.Token).ConfigureAwait(false);
                    sent = now;
                }
                else
                {
                    await response.WriteAsync(": idle\n\n", done.Token).ConfigureAwait(false); // a comment: finds a closed connection
                }
                await response.Body.FlushAsync(done.Token).ConfigureAwait(false);
                await Task.Delay(PollInterval, done.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
            // the page closed or the collector is stopping
        }
    }
}
