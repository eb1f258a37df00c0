using System.Collections.Concurrent;
using Nephele.Core.Models;

namespace Nephele.Core.Gateway;

/// <summary>Loads embedded service models on first use, once per model file.</summary>
public sealed class ModelCatalog(ServiceIndex index)
{
    private readonly ConcurrentDictionary<string, Lazy<ServiceModel>> _models = new(StringComparer.Ordinal);

    public ServiceIndex Index { get; } = index;

    /// <summary>The model a service speaks <paramref name="protocol"/> with (SQS's query clients get the 2012 query model).</summary>
    public ServiceModel Get(ServiceInfo service, string protocol)
    {
        var file = service.Models.GetValueOrDefault(protocol) ?? service.Models.Values.First();
        return _models.GetOrAdd(file, f => new Lazy<ServiceModel>(() => LoadFor(service, f))).Value;
    }

    private ServiceModel LoadFor(ServiceInfo service, string file)
    {
        var model = Load(file);
        // SQS's current JSON model lost the legacy error codes its query-compatible clients read from
        // x-amzn-query-error (AWS.SimpleQueueService.NonExistentQueue); the 2012 query model still has them.
        if (service.Models.TryGetValue("query", out var queryFile) && queryFile != file && model.Metadata.AwsQueryCompatible)
            BorrowErrorCodes(model, Get(service, "query"));
        return model;
    }

    private static void BorrowErrorCodes(ServiceModel model, ServiceModel legacy)
    {
        foreach (var shape in model.Shapes.Values)
        {
            if (!shape.IsException || shape.ErrorCode is not null) continue;
            if (legacy.Shapes.TryGetValue(shape.Name, out var old) && old.ErrorCode is not null)
            {
                shape.ErrorCode = old.ErrorCode;
                shape.ErrorHttpStatus ??= old.ErrorHttpStatus;
            }
        }
    }

    /// <summary>The model of the service's primary protocol.</summary>
    public ServiceModel Get(ServiceInfo service) => Get(service, service.Protocols[0]);

    private static ServiceModel Load(string file)
    {
        using var stream = OpenResource(file);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return ServiceModel.Load(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    internal static Stream OpenResource(string file) =>
        typeof(ModelCatalog).Assembly.GetManifestResourceStream("models/" + file)
        ?? throw new FileNotFoundException($"The model {file} is not embedded in Nephele.Core.");
}
