using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Nephele.Core.Models;

namespace Nephele.Services.Iam;

/// <summary>
/// IAM checks every input member against the constraints of its model (required, length, pattern, range,
/// enum) before anything else, and reports all violations at once as ValidationError:
/// "2 validation errors detected: Value 'x' at 'userName' failed to satisfy constraint: ...; Value ...".
/// </summary>
internal static class IamInputValidation
{
    private static readonly ConcurrentDictionary<string, Regex?> Patterns = new(StringComparer.Ordinal);

    public static void Check(Shape? input, Dictionary<string, object?> values)
    {
        if (input is null) return;
        var errors = new List<string>();
        CheckStructure(input, values, "", errors);
        if (errors.Count == 0) return;
        var count = errors.Count == 1 ? "1 validation error detected" : $"{errors.Count} validation errors detected";
        throw IamErrors.Validation($"{count}: {string.Join("; ", errors)}");
    }

    private static void CheckStructure(Shape shape, Dictionary<string, object?> values, string prefix, List<string> errors)
    {
        foreach (var member in shape.Members)
        {
            var path = prefix + char.ToLowerInvariant(member.Name[0]) + member.Name[1..];
            var value = values.GetValueOrDefault(member.Name);
            if (value is null)
            {
                if (shape.Required.Contains(member.Name))
                    errors.Add($"Value null at '{path}' failed to satisfy constraint: Member must not be null");
                continue;
            }
            CheckValue(member.Shape, value, path, errors);
        }
    }

    private static void CheckValue(Shape shape, object value, string path, List<string> errors)
    {
        switch (value)
        {
            case string s:
                var shown = shape.Sensitive ? "" : $"'{s}' ";
                if (shape.Min is { } min && s.Length < min)
                    errors.Add($"Value {shown}at '{path}' failed to satisfy constraint: Member must have length greater than or equal to {min}");
                else if (shape.Max is { } max && s.Length > max)
                    errors.Add($"Value {shown}at '{path}' failed to satisfy constraint: Member must have length less than or equal to {max}");
                else if (shape.Pattern is { } pattern && Compiled(pattern) is { } regex && !regex.IsMatch(s))
                    errors.Add($"Value {shown}at '{path}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}");
                else if (shape.Enum is { Count: > 0 } values && !values.Contains(s))
                    errors.Add($"Value {shown}at '{path}' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", values)}]");
                break;
            case long or int:
                var n = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                if (shape.Min is { } lo && n < lo)
                    errors.Add($"Value '{n}' at '{path}' failed to satisfy constraint: Member must have value greater than or equal to {lo}");
                else if (shape.Max is { } hi && n > hi)
                    errors.Add($"Value '{n}' at '{path}' failed to satisfy constraint: Member must have value less than or equal to {hi}");
                break;
            case List<object?> list:
                if (shape.Min is { } lmin && list.Count < lmin)
                    errors.Add($"Value '[{string.Join(", ", list)}]' at '{path}' failed to satisfy constraint: Member must have length greater than or equal to {lmin}");
                else if (shape.Max is { } lmax && list.Count > lmax)
                    errors.Add($"Value '[{string.Join(", ", list)}]' at '{path}' failed to satisfy constraint: Member must have length less than or equal to {lmax}");
                if (shape.Member is { } item)
                    for (var i = 0; i < list.Count; i++)
                        if (list[i] is Dictionary<string, object?> s2) CheckStructure(item.Shape, s2, $"{path}.{i + 1}.member.", errors);
                        else if (list[i] is { } v) CheckValue(item.Shape, v, $"{path}.{i + 1}.member", errors);
                break;
            case Dictionary<string, object?> structure when shape.Type == ShapeType.Structure:
                CheckStructure(shape, structure, path + ".", errors);
                break;
        }
    }

    /// <summary>The model's (Java) pattern as a whole-string .NET regex; null if .NET cannot read it.</summary>
    private static Regex? Compiled(string pattern) => Patterns.GetOrAdd(pattern, p =>
    {
        try
        {
            return new Regex($"^(?:{p})$", RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            return null;
        }
    });
}
