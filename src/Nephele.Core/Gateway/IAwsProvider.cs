namespace Nephele.Core.Gateway;

/// <summary>A handler for one operation: input and output are protocol-neutral values (see IWireProtocol).</summary>
public delegate ValueTask<Dictionary<string, object?>> OperationHandler(RequestContext context, Dictionary<string, object?> input);

/// <summary>The business logic of one AWS service. It registers a handler per operation it implements;
/// every other operation of the service's model answers 501.</summary>
public interface IAwsProvider
{
    /// <summary>The service name in models/index.json (botocore's folder name: "s3", "sqs", "sts" ...).</summary>
    string ServiceName { get; }

    void Register(OperationRegistry operations);
}

/// <summary>A provider with something to report in /_nephele/health (e.g. the Lambda runtimes this machine can run).</summary>
public interface IHealthDetails
{
    /// <summary>Writes the members of the provider's object under "details" / its service name.</summary>
    void WriteHealth(System.Text.Json.Utf8JsonWriter writer);
}

public sealed class OperationRegistry
{
    private readonly Dictionary<string, OperationHandler> _handlers = new(StringComparer.Ordinal);

    public OperationRegistry On(string operation, OperationHandler handler)
    {
        _handlers[operation] = handler;
        return this;
    }

    /// <summary>A synchronous handler.</summary>
    public OperationRegistry On(string operation, Func<RequestContext, Dictionary<string, object?>, Dictionary<string, object?>> handler)
        => On(operation, (c, i) => ValueTask.FromResult(handler(c, i)));

    public OperationHandler? Find(string operation) => _handlers.GetValueOrDefault(operation);

    public IReadOnlyCollection<string> Operations => _handlers.Keys;
}
