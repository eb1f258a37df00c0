using System.Reflection;
using System.Text.Json;

namespace Nephele.LambdaHost;

/// <summary>
/// Turns the payload into the handler's input and its output back into bytes. With [LambdaSerializer(typeof(X))] on the
/// method or the assembly (Amazon.Lambda.Core.LambdaSerializerAttribute of the function's own Amazon.Lambda.Core), X's
/// Deserialize&lt;T&gt;/Serialize&lt;T&gt; do it, as on AWS. Without one, AWS refuses anything but Stream; Nephele is lenient
/// and uses System.Text.Json (case-insensitive property names).
/// </summary>
internal sealed class Serializer
{
    private const string AttributeName = "Amazon.Lambda.Core.LambdaSerializerAttribute";
    private static readonly JsonSerializerOptions Lenient = new() { PropertyNameCaseInsensitive = true };

    private readonly object? _instance;
    private readonly MethodInfo? _deserialize;
    private readonly MethodInfo? _serialize;

    private Serializer(object? instance)
    {
        _instance = instance;
        if (instance is null) return;
        var type = instance.GetType();
        _deserialize = Generic(type, "Deserialize", 1) ?? throw new LambdaValidationException($"The '{type.FullName}' class is invalid: it does not implement the 'ILambdaSerializer' interface.");
        _serialize = Generic(type, "Serialize", 2) ?? throw new LambdaValidationException($"The '{type.FullName}' class is invalid: it does not implement the 'ILambdaSerializer' interface.");
    }

    /// <summary>The serializer the method, else its assembly, names.</summary>
    public static Serializer Find(MethodInfo method)
    {
        var attribute = method.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == AttributeName)
            ?? method.DeclaringType!.Assembly.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == AttributeName);
        if (attribute is null) return new Serializer(null);
        if (attribute.ConstructorArguments.FirstOrDefault().Value is not Type serializerType)
            throw new LambdaValidationException($"The 'SerializerType' property on attribute class '{AttributeName}' is not set.");
        if (serializerType.GetConstructor(Type.EmptyTypes) is null)
            throw new LambdaValidationException($"The indicated serializer '{serializerType.FullName}' does not define a public zero-parameter constructor.");
        return new Serializer(Activator.CreateInstance(serializerType));
    }

    private static MethodInfo? Generic(Type type, string name, int parameters)
    {
        var own = type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(m => m.Name == name && m.IsGenericMethodDefinition && m.GetParameters().Length == parameters);
        // Explicit interface implementations are private and named after the interface.
        return own ?? type.GetInterfaces().SelectMany(i => i.GetMethods())
            .FirstOrDefault(m => m.Name == name && m.IsGenericMethodDefinition && m.GetParameters().Length == parameters);
    }

    public object? Deserialize(byte[] payload, Type type)
    {
        if (type == typeof(Stream) || type == typeof(MemoryStream)) return new MemoryStream(payload, writable: false);
        if (_instance is not null)
            return _deserialize!.MakeGenericMethod(type).Invoke(_instance, [new MemoryStream(payload, writable: false)]);
        if (payload.Length == 0) return type.IsValueType ? Activator.CreateInstance(type) : null;
        if (type == typeof(string) && payload[0] != (byte)'"') return System.Text.Encoding.UTF8.GetString(payload);
        return JsonSerializer.Deserialize(payload, type, Lenient);
    }

    public byte[] Serialize(object? value, Type declared)
    {
        if (value is Stream stream)
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
        if (_instance is not null)
        {
            using var output = new MemoryStream();
            _serialize!.MakeGenericMethod(declared).Invoke(_instance, [value, output]);
            return output.ToArray();
        }
        return JsonSerializer.SerializeToUtf8Bytes(value, declared == typeof(object) && value is not null ? value.GetType() : declared, Lenient);
    }
}
