using EdgeLstm.Core.Model;
using EdgeLstm.Sensors;

namespace EdgeLstm.Runtime.Pipeline;

/// <summary>Picks the model's inputs, in the model's order, out of a sample of every board channel (matched by name).</summary>
internal sealed class ChannelMap
{
    private readonly int[] _boardChannelOf; // model input i ← board channel _boardChannelOf[i]
    private readonly float[] _modelInputs;

    /// <summary>Maps each model channel to the board channel of the same name.</summary>
    /// <param name="modelChannels">The model's input channels.</param>
    /// <param name="boardChannels">The board's channels, in sample order.</param>
    /// <exception cref="ArgumentException">A model channel is not on the board (the config check reports that before).</exception>
    public ChannelMap(IReadOnlyList<ChannelInfo> modelChannels, IReadOnlyList<ChannelSpec> boardChannels)
    {
        _boardChannelOf = new int[modelChannels.Count];
        for (int i = 0; i < _boardChannelOf.Length; i++)
        {
            _boardChannelOf[i] = -1;
            for (int c = 0; c < boardChannels.Count; c++)
                if (string.Equals(boardChannels[c].Name, modelChannels[i].Name, StringComparison.Ordinal)) _boardChannelOf[i] = c;
            if (_boardChannelOf[i] < 0)
                throw new ArgumentException($"the model's channel '{modelChannels[i].Name}' is not on the board");
        }
        _modelInputs = new float[_boardChannelOf.Length];
    }

    /// <summary>The model's channel count (the order of the Hello's channel names).</summary>
    public int Count => _boardChannelOf.Length;

    /// <summary>The board channel (sample index) that model channel <paramref name="modelChannel"/> is read from.</summary>
    public int BoardChannelOf(int modelChannel) => _boardChannelOf[modelChannel];

    /// <summary>The model's inputs taken from one board sample (a buffer of this map's, overwritten by the next call).</summary>
    /// <param name="boardValues">One value per board channel.</param>
    /// <returns>One value per model channel.</returns>
    public ReadOnlySpan<float> ModelInputs(ReadOnlySpan<float> boardValues)
    {
        for (int i = 0; i < _boardChannelOf.Length; i++) _modelInputs[i] = boardValues[_boardChannelOf[i]];
        return _modelInputs;
    }
}
