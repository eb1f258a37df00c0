using Nephele.Core.Models;

namespace Nephele.Core.Protocols;

/// <summary>
/// Finds the modeled error shape for an AwsException code. Handlers may throw either the shape name
/// ("QueueDoesNotExist") or its wire code ("AWS.SimpleQueueService.NonExistentQueue"); protocols then
/// render the name or the code as their clients expect.
/// </summary>
public static class ErrorShapes
{
    public static Shape? Find(ServiceModel model, OperationModel? operation, string code)
    {
        if (operation is not null)
            foreach (var e in operation.Errors)
                if (e.Name == code || e.ErrorCode == code) return e;
        if (model.Shapes.TryGetValue(code, out var byName) && byName.IsException) return byName;
        foreach (var shape in model.Shapes.Values)
            if (shape.IsException && shape.ErrorCode == code) return shape;
        return null;
    }

    /// <summary>The code legacy (query/XML) clients expect: the shape's error code, else its name, else the thrown code.</summary>
    public static string QueryCode(Shape? shape, string code) => shape?.ErrorCode ?? shape?.Name ?? code;

    /// <summary>The code JSON clients expect: the shape name, else the thrown code.</summary>
    public static string ShapeName(Shape? shape, string code) => shape?.Name ?? code;
}
