namespace EdgeLstm.Core.Diagnostics;

/// <summary>The outcome of one self-test check.</summary>
/// <param name="Name">What was checked, e.g. <c>int8 matvec ArmDotProduct</c>.</param>
/// <param name="Passed">True when the check held.</param>
/// <param name="Detail">What was compared, or the first difference found.</param>
public sealed record SelfTestCheck(string Name, bool Passed, string Detail);
