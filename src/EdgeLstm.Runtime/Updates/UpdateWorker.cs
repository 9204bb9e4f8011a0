using System.Collections.Concurrent;

namespace EdgeLstm.Runtime.Updates;

/// <summary>
/// Verifies commands on a thread of its own (signature checks and model loading take milliseconds on a Pi) and hands
/// the results to the pipeline, which applies them between two samples: the sampling thread only ever checks
/// <see cref="HasWork"/>, a field read.
/// </summary>
internal sealed class UpdateWorker : IDisposable
{
    private readonly CommandInbox _inbox;
    private readonly UpdateVerifier _verifier;
    private readonly ConcurrentQueue<PreparedUpdate> _ready = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private volatile bool _hasWork;

    public UpdateWorker(CommandInbox inbox, UpdateVerifier verifier)
    {
        _inbox = inbox;
        _verifier = verifier;
        _thread = new Thread(Work) { IsBackground = true, Name = "edgelstm updates" };
        _thread.Start();
    }

    /// <summary>Whether a result waits for the pipeline.</summary>
    public bool HasWork => _hasWork;

    /// <summary>Takes the next result (pipeline thread).</summary>
    public bool TryTake(out PreparedUpdate update)
    {
        bool taken = _ready.TryDequeue(out update!);
        _hasWork = !_ready.IsEmpty;
        return taken;
    }

    private void Work()
    {
        while (_inbox.TryTake(out byte[] message, _stop.Token))
        {
            PreparedUpdate result;
            try
            {
                result = _verifier.Verify(message);
            }
#pragma warning disable CA1031 // a command must never stop the board: anything unexpected is a refusal with its reason
            catch (Exception e)
#pragma warning restore CA1031
            {
                result = PreparedUpdate.Refused(0, $"the update could not be checked ({e.GetType().Name}: {e.Message}).");
            }
            _ready.Enqueue(result);
            _hasWork = true;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
