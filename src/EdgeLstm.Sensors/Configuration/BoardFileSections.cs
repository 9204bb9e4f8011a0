using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace EdgeLstm.Sensors.Configuration;

/// <summary>
/// The sections of a board file that another project owns (the runtime's <c>model</c>, <c>decision</c>, <c>sinks</c>,
/// <c>health</c>): their keys, their JSON metadata and their rules. <see cref="BoardConfigLoader"/> checks them in the
/// same pass as the sensor sections, so every problem of the file is listed at once, by JSON path.
/// </summary>
/// <typeparam name="TSections">The type the owner reads its sections into.</typeparam>
public abstract class BoardFileSections<TSections>
    where TSections : class
{
    /// <summary>Gets the top-level keys these sections own; every other top-level key must be a sensor section.</summary>
    public abstract IReadOnlySet<string> Keys { get; }

    /// <summary>Gets the source-generated metadata of <typeparamref name="TSections"/> (an object with the owned keys).</summary>
    public abstract JsonTypeInfo<TSections> TypeInfo { get; }

    /// <summary>
    /// Changes the sensor sections before anything is checked (command-line overrides such as the clock), so the result
    /// is validated like any file. Problems with the overrides themselves go into <paramref name="problems"/>.
    /// </summary>
    /// <param name="root">The sensor sections of the file (<c>board</c>, <c>sampler</c>, <c>devices</c>, <c>alarm</c>).</param>
    /// <param name="problems">Where problems are added.</param>
    public virtual void Edit(JsonObject root, List<ConfigProblem> problems)
    {
    }

    /// <summary>Changes the owned sections before anything is checked, as <see cref="Edit"/> does the sensor sections.</summary>
    /// <param name="owned">The owned sections of the file.</param>
    /// <param name="problems">Where problems are added.</param>
    public virtual void EditOwned(JsonObject owned, List<ConfigProblem> problems)
    {
    }

    /// <summary>Checks the owned sections against their rules and against the (valid) sensor sections.</summary>
    /// <param name="sections">The owned sections, read.</param>
    /// <param name="board">The sensor sections.</param>
    /// <param name="baseDirectory">The board file's folder.</param>
    /// <param name="problems">Where problems are added.</param>
    public abstract void Validate(TSections sections, BoardConfig board, string baseDirectory, List<ConfigProblem> problems);
}
