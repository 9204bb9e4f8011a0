using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Tests;

/// <summary>Describes a random model to build: every knob the engine supports.</summary>
internal sealed record ModelSpec(
    RecurrentKind Kind = RecurrentKind.Lstm,
    RecurrentDirection Direction = RecurrentDirection.Forward,
    int InputSize = 8,
    int[]? HiddenSizes = null,
    bool Peepholes = false,
    float Clip = 0,
    ActivationKind[]? Activations = null,
    bool LinearBeforeReset = true,
    bool InitialState = false,
    int[]? DenseSizes = null,
    ActivationKind FinalActivation = ActivationKind.Softmax,
    HeadInput HeadInput = HeadInput.LastStep,
    float WeightScale = 0.5f)
{
    public override string ToString() =>
        $"{Kind} {Direction} I={InputSize} H=[{string.Join(",", HiddenSizes ?? [16])}] peep={Peepholes} clip={Clip} " +
        $"acts=[{string.Join(",", Activations ?? [])}] lbr={LinearBeforeReset} init={InitialState} dense=[{string.Join(",", DenseSizes ?? [])}] " +
        $"{FinalActivation} {HeadInput}";
}
