namespace EdgeLstm.LoadTest.Boards;

/// <summary>What a board sends on one tick of its prediction clock, besides the Prediction itself.</summary>
[Flags]
internal enum TickExtras
{
    /// <summary>Only the Prediction.</summary>
    None = 0,

    /// <summary>A Health frame too (every <see cref="FrameSchedule.HealthPeriodSeconds"/> seconds).</summary>
    Health = 1,

    /// <summary>An Alarm too (raise and clear alternate).</summary>
    Alarm = 2,
}

/// <summary>
/// The frame mix of a simulated board, as a pure function of its tick number: one Prediction per tick, a Health
/// every 10 s, an Alarm (raise, later clear) once in <see cref="PredictionsPerAlarm"/> Predictions. Each board has a
/// phase so the fleet's Health and Alarm frames spread over time instead of arriving on the same tick.
/// </summary>
internal sealed class FrameSchedule
{
    /// <summary>Seconds between Health frames (as the runtime's default health period).</summary>
    public const int HealthPeriodSeconds = 10;

    /// <summary>Predictions per Alarm change: anomalies are rare.</summary>
    public const int PredictionsPerAlarm = 5000;

    private readonly long _healthEvery;
    private readonly long _phase;

    /// <summary>A schedule at <paramref name="rateHz"/> Predictions per second for the board with phase <paramref name="phase"/> (any number; its board index).</summary>
    public FrameSchedule(double rateHz, long phase)
    {
        _healthEvery = Math.Max(1, (long)Math.Round(rateHz * HealthPeriodSeconds));
        _phase = phase;
    }

    /// <summary>Ticks between Health frames.</summary>
    public long HealthEvery => _healthEvery;

    /// <summary>The extras due on tick <paramref name="tick"/> (0-based).</summary>
    public TickExtras ExtrasAt(long tick)
    {
        TickExtras extras = TickExtras.None;
        if ((tick + _phase) % _healthEvery == 0) extras |= TickExtras.Health;
        if ((tick + 1 + _phase) % PredictionsPerAlarm == 0) extras |= TickExtras.Alarm;
        return extras;
    }
}
