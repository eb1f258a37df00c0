using System.Reflection;

namespace Nephele.LambdaHost;

/// <summary>The loaded handler method: builds its arguments, calls it, awaits Task/Task&lt;T&gt; and serializes the result.</summary>
internal sealed class Handler(MethodInfo method, object? instance, Serializer serializer)
{
    private readonly ParameterInfo[] _parameters = method.GetParameters();
    private readonly Type? _resultType = ResultType(method.ReturnType);

    public async Task<byte[]> InvokeAsync(byte[] payload, InvocationContext context)
    {
        var args = new object?[_parameters.Length];
        for (var i = 0; i < args.Length; i++)
        {
            var type = _parameters[i].ParameterType;
            args[i] = type.FullName == HandlerLoader.ContextTypeName ? context.Proxy(type) : serializer.Deserialize(payload, type);
        }
        var returned = method.Invoke(instance, args);
        if (returned is Task task)
        {
            await task;
            returned = _resultType is null ? null : task.GetType().GetProperty("Result")!.GetValue(task);
        }
        else if (returned is ValueTask valueTask)
        {
            await valueTask;
        }
        return _resultType is null ? [] : serializer.Serialize(returned, _resultType);
    }

    /// <summary>The type the handler produces: T of Task&lt;T&gt;, nothing for void and Task.</summary>
    private static Type? ResultType(Type returnType)
    {
        if (returnType == typeof(void) || returnType == typeof(Task) || returnType == typeof(ValueTask)) return null;
        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>)) return returnType.GetGenericArguments()[0];
        return returnType;
    }
}
