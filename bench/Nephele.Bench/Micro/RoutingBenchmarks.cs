using BenchmarkDotNet.Attributes;
using Nephele.Core.Auth;
using Nephele.Core.Gateway;
using Nephele.Core.Models;
using Nephele.Core.Protocols;
using Nephele.Core.Protocols.Json;

namespace Nephele.Bench.Micro;

/// <summary>
/// What the gateway does to an SQS SendMessage before a handler sees it, in process and without HTTP.
/// Every benchmark builds its own request (requests cache their parsed query and body), so
/// RouteAndParse minus BuildRequest is the routing + parsing cost; the target is under 20 µs.
/// </summary>
[MemoryDiagnoser]
public class RoutingBenchmarks
{
    private ModelCatalog _catalog = null!;
    private ServiceDetector _detector = null!;
    private JsonProtocol _json = null!;

    [GlobalSetup]
    public void Setup()
    {
        _catalog = new ModelCatalog(ServiceIndex.Load());
        _detector = new ServiceDetector(_catalog);
        _json = new JsonProtocol();
        // Models load lazily on a service's first request; the steady state is what is measured. The
        // check keeps a broken parser from being timed on its error path.
        var input = RouteAndParse().AsTask().GetAwaiter().GetResult();
        if (input.GetValueOrDefault("MessageBody") is not "hello from nephele-bench" || !input.ContainsKey("MessageAttributes"))
            throw new InvalidOperationException("SendMessage parsed into unexpected members: " + string.Join(", ", input.Keys));
    }

    [Benchmark(Baseline = true)]
    public AwsRequest BuildRequest() => SqsSendMessage.Build();

    [Benchmark]
    public OperationModel Route() => Resolve(SqsSendMessage.Build()).Operation;

    [Benchmark]
    public ValueTask<Dictionary<string, object?>> RouteAndParse()
    {
        var request = SqsSendMessage.Build();
        var (model, operation) = Resolve(request);
        return _json.ParseAsync(model, operation, request);
    }

    private (ServiceModel Model, OperationModel Operation) Resolve(AwsRequest request)
    {
        // The signing name in the credential scope is the gateway's first routing clue.
        var service = _detector.Detect(request, SigV4Credential.TryParse(request)?.Service)
            ?? throw new InvalidOperationException("No service detected for the SQS request.");
        var protocol = ProtocolSelector.Select(service, request);
        var model = _catalog.Get(service, protocol);
        var operation = _json.ResolveOperation(model, request)
            ?? throw new InvalidOperationException("SendMessage did not resolve.");
        return (model, operation);
    }
}
