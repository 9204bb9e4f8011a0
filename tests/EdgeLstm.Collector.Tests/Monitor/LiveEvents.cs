namespace EdgeLstm.Collector.Tests.Monitor;

/// <summary>Reads a Server-Sent Events stream in a test, bounded.</summary>
internal static class LiveEvents
{
    /// <summary>The first event (its lines up to the blank line) of the stream at <paramref name="path"/>.</summary>
    public static string FirstEvent(HttpClient client, string path, TimeSpan patience) => FirstEventAsync(client, path, patience).GetAwaiter().GetResult();

    private static async Task<string> FirstEventAsync(HttpClient client, string path, TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        using HttpResponseMessage response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var lines = new List<string>();
        while (await reader.ReadLineAsync(timeout.Token) is string line)
        {
            if (line.Length == 0 && lines.Count > 0) break;
            if (line.Length > 0) lines.Add(line);
        }
        return string.Join("\n", lines);
    }
}
