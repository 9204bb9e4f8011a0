namespace EdgeLstm.Collector.Storage;

/// <summary>What one committed batch did.</summary>
/// <param name="Stored">Frames new to the store, now stored.</param>
/// <param name="Duplicates">Frames the store already had, by (device, sequence): not stored again.</param>
/// <param name="GapsOpened">Gaps recorded: a device's highest sequence jumped by more than one.</param>
/// <param name="GapsClosed">Gaps whose missing frames all arrived.</param>
internal readonly record struct CommitResult(int Stored, int Duplicates, int GapsOpened, int GapsClosed);
