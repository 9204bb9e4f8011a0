using System.CommandLine;
using System.CommandLine.Parsing;
using EdgeLstm.Core.Model;

namespace EdgeLstm.Convert.Cli;

/// <summary>Range checks for numeric options, so a nonsensical limit is a parse error (exit 2), not a silent pass or fail.</summary>
internal static class OptionChecks
{
    public static Option<float?> NonNegative(this Option<float?> option)
    {
        option.Validators.Add(result =>
        {
            if (Converted<float?>(result) is { } v && !(v >= 0 && float.IsFinite(v)))
                result.AddError($"{option.Name} must be a finite number of 0 or more; got {v}.");
        });
        return option;
    }

    public static Option<double> Fraction(this Option<double> option)
    {
        option.Validators.Add(result =>
        {
            if (Converted<double?>(result) is { } v && !(v >= 0 && v <= 1)) result.AddError($"{option.Name} must be between 0 and 1; got {v}.");
        });
        return option;
    }

    public static Option<int> AtLeast(this Option<int> option, int minimum)
    {
        option.Validators.Add(result =>
        {
            if (Converted<int?>(result) is { } v && v < minimum) result.AddError($"{option.Name} must be {minimum} or more; got {v}.");
        });
        return option;
    }

    public static Option<int?> WindowLength(this Option<int?> option)
    {
        option.Validators.Add(result =>
        {
            if (Converted<int?>(result) is { } v && v is < 1 or > ModelMetadata.MaxWindowLength)
                result.AddError($"{option.Name} must be a whole number from 1 to {ModelMetadata.MaxWindowLength}; got {v}.");
        });
        return option;
    }

    /// <summary>The option's value; null when the text is not a number, which the parser reports itself.</summary>
    private static T? Converted<T>(OptionResult result)
    {
        try
        {
            return result.GetValueOrDefault<T>();
        }
        catch (InvalidOperationException)
        {
            return default;
        }
    }
}
