namespace EdgeLstm.Sensors;

/// <summary>
/// How a device output becomes a channel value: <c>value = raw · Scale + Offset</c>, valid only inside
/// [<see cref="Minimum"/>, <see cref="Maximum"/>] (a NaN or out-of-range value counts as a failed read).
/// </summary>
/// <param name="Name">Channel name, unique on the board.</param>
/// <param name="Unit">Unit of the scaled value, for humans.</param>
/// <param name="Scale">Multiplier applied to the device value.</param>
/// <param name="Offset">Added after scaling.</param>
/// <param name="Minimum">Smallest valid scaled value.</param>
/// <param name="Maximum">Largest valid scaled value.</param>
public sealed record ChannelSpec(string Name, string Unit = "", double Scale = 1, double Offset = 0,
    double Minimum = double.NegativeInfinity, double Maximum = double.PositiveInfinity);
