namespace EdgeLstm.Protocol;

/// <summary>What an <see cref="EventFrame"/> reports. Part of the wire format: never renumber; readers show unknown kinds by number.</summary>
public enum BoardEventKind : byte
{
    /// <summary>A signed update was verified and applied; the board runs it (a new Hello follows for a new model).</summary>
    UpdateApplied = 1,

    /// <summary>An update was refused before anything changed (bad signature, rollback, expired, another board's, does not fit).</summary>
    UpdateRefused = 2,

    /// <summary>An applied model failed its self-check; the board went back to the model it ran before.</summary>
    UpdateRolledBack = 3,
}
