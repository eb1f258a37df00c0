using System.Reflection;

namespace Nephele.LambdaHost;

/// <summary>
/// Resolves a handler string (Assembly::Namespace.Type::Method) to a method in the function's assembly, with the checks
/// and messages of AWS's managed .NET runtime.
/// </summary>
internal static class HandlerLoader
{
    private const string Format = "The valid format is 'ASSEMBLY::TYPE::METHOD'.";
    public const string ContextTypeName = "Amazon.Lambda.Core.ILambdaContext";

    public static Handler Load(string handler, string taskRoot)
    {
        if (string.IsNullOrWhiteSpace(handler)) throw new LambdaValidationException("Empty lambda function handler. " + Format);
        var parts = handler.Split("::");
        if (parts.Length != 3) throw new LambdaValidationException($"Invalid lambda function handler: '{handler}'. {Format}");
        var (assemblyName, typeName, methodName) = (parts[0].Trim(), parts[1].Trim(), parts[2].Trim());
        if (assemblyName.Length == 0) throw new LambdaValidationException($"Invalid lambda function handler: '{handler}', the assembly is missing. {Format}");
        if (typeName.Length == 0) throw new LambdaValidationException($"Invalid lambda function handler: '{handler}', the type is missing. {Format}");
        if (methodName.Length == 0) throw new LambdaValidationException($"Invalid lambda function handler: '{handler}', the method is missing. {Format}");

        var path = Path.Combine(taskRoot, assemblyName + ".dll");
        if (!File.Exists(path))
            throw new LambdaValidationException($"Could not find the specified handler assembly with the file name '{assemblyName}, Culture=neutral, PublicKeyToken=null'. " +
                "The assembly should be located in the root of your uploaded .zip file.");
        Assembly assembly;
        try
        {
            assembly = new FunctionLoadContext(path).LoadFromAssemblyPath(path);
        }
        catch (BadImageFormatException e)
        {
            throw new LambdaValidationException($"Unable to load assembly '{assemblyName}'.", e);
        }
        var type = assembly.GetType(typeName) ?? throw new LambdaValidationException($"Unable to load type '{typeName}' from assembly '{assemblyName}'.");
        if (type.IsGenericTypeDefinition)
            throw new LambdaValidationException($"The type '{typeName}' cannot be used as a Lambda Handler type because it is generic. Handler methods cannot be " +
                "located in generic types. Please specify a handler method in a non-generic type.");
        var method = FindMethod(type, typeName, assemblyName, methodName);
        var parameters = method.GetParameters();
        if (parameters.Length > 2)
            throw new LambdaValidationException($"Method '{methodName}' of type '{typeName}' is not supported: the method has more than 2 parameters.");
        if (parameters.Length == 2 && parameters[1].ParameterType.FullName != ContextTypeName)
            throw new LambdaValidationException($"Method '{methodName}' of type '{typeName}' is not supported: the method has 2 parameters, but the second " +
                $"parameter is not of type '{ContextTypeName}'.");
        if (method.IsAbstract)
            throw new LambdaValidationException($"The method '{methodName}' cannot be used as a Lambda Handler because it is an abstract method. Handler methods " +
                "cannot be abstract. Please specify a non-abstract handler method.");
        if (method.IsGenericMethodDefinition)
            throw new LambdaValidationException($"The method '{methodName}' cannot be used as a Lambda Handler because it is a generic method. Handler methods " +
                "cannot be generic. Please specify a non-generic handler method.");

        object? instance = null;
        if (!method.IsStatic)
        {
            if (type.IsAbstract)
                throw new LambdaValidationException($"The instance method '{methodName}' cannot be used as a Lambda Handler because its type '{typeName}' is " +
                    "abstract. Please either use a static handler or specify a type that is not abstract.");
            try
            {
                // Like AWS: one instance per execution environment, constructed during init.
                instance = Activator.CreateInstance(type, nonPublic: true);
            }
            catch (Exception e) when (e is TargetInvocationException or MissingMethodException)
            {
                throw new LambdaValidationException($"An exception was thrown when the constructor for type '{typeName}' was invoked. Check inner exception for more details.", e);
            }
        }
        return new Handler(method, instance, Serializer.Find(method));
    }

    private static MethodInfo FindMethod(Type type, string typeName, string assemblyName, string methodName)
    {
        var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.FlattenHierarchy)
            .Where(m => m.Name == methodName).ToList();
        return candidates.Count switch
        {
            0 => throw new LambdaValidationException($"Unable to find method '{methodName}' in type '{typeName}' from assembly '{assemblyName}': Found no methods " +
                $"matching method name '{methodName}'."),
            1 => candidates[0],
            _ => throw new LambdaValidationException($"The method '{methodName}' in type '{typeName}' appears to have a number of overloads. To call this method " +
                $"please specify a complete method signature. Possible candidates are:\n{string.Join("\n", candidates)}."),
        };
    }
}
