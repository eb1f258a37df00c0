namespace Amazon.Lambda.Core;

/// <summary>The invocation's context, as Amazon.Lambda.Core declares it.</summary>
public interface ILambdaContext
{
    string AwsRequestId { get; }
    IClientContext ClientContext { get; }
    string FunctionName { get; }
    string FunctionVersion { get; }
    ICognitoIdentity Identity { get; }
    string InvokedFunctionArn { get; }
    ILambdaLogger Logger { get; }
    string LogGroupName { get; }
    string LogStreamName { get; }
    int MemoryLimitInMB { get; }
    TimeSpan RemainingTime { get; }
}

/// <summary>The context's logger.</summary>
public interface ILambdaLogger
{
    void Log(string message);
    void LogLine(string message);
}

/// <summary>The mobile client context.</summary>
public interface IClientContext
{
    IDictionary<string, string> Environment { get; }
    IDictionary<string, string> Custom { get; }
}

/// <summary>The Cognito identity.</summary>
public interface ICognitoIdentity
{
    string IdentityId { get; }
    string IdentityPoolId { get; }
}

/// <summary>Turns the payload into the handler's input and its output into the response.</summary>
public interface ILambdaSerializer
{
    T Deserialize<T>(Stream requestStream);
    void Serialize<T>(T response, Stream responseStream);
}

/// <summary>Names the serializer of an assembly's or a method's handlers.</summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Method)]
public sealed class LambdaSerializerAttribute(Type serializerType) : Attribute
{
    public Type SerializerType { get; set; } = serializerType;
}
