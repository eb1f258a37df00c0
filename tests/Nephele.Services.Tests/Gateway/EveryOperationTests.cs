using Nephele.Core.Gateway;

namespace Nephele.Services.Tests.Gateway;

/// <summary>
/// Walks every operation of every service model through the real gateway: each one is either handled
/// by its provider or answers 501 with an AWS-shaped error naming the operation — never a 500, never
/// routed to another operation.
/// </summary>
public sealed class EveryOperationTests(NepheleFixture nephele) : IClassFixture<NepheleFixture>
{
    public static TheoryData<string, string> ServiceProtocols()
    {
        var data = new TheoryData<string, string>();
        foreach (var s in ServiceIndex.Load().Services)
            foreach (var p in s.Protocols) data.Add(s.Name, p);
        return data;
    }

    [Theory]
    [MemberData(nameof(ServiceProtocols))]
    public async Task Every_operation_is_handled_or_answers_501_naming_itself(string serviceName, string protocol)
    {
        var server = nephele.Server;
        var service = server.Index.Find(serviceName)!;
        var model = new ModelCatalog(server.Index).Get(service, protocol);
        using var http = nephele.Http();
        var failures = new List<string>();
        foreach (var op in model.Operations.Values)
        {
            using var request = OperationRequests.For(service, model, protocol, op);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var handled = server.Providers.Find(serviceName, op.Name) is not null;
            if (handled)
            {
                if ((int)response.StatusCode is 501 or >= 500) failures.Add($"{op.Name}: handled but answered {(int)response.StatusCode} {body}");
            }
            // A route twin that is handled answers for both (ListDirectoryBuckets is GET / like ListBuckets).
            else if (protocol.StartsWith("rest-", StringComparison.Ordinal) && Twins(model, op).Any(t => t.RequestUri == op.RequestUri && server.Providers.Find(serviceName, t.Name) is not null))
            {
                if ((int)response.StatusCode >= 500) failures.Add($"{op.Name}: its handled twin answered {(int)response.StatusCode} {body}");
            }
            // A HEAD answer carries no body (S3 HeadObject), so its status alone says 501.
            else if ((int)response.StatusCode != 501
                || op.HttpMethod != "HEAD" && !body.Contains(op.Name, StringComparison.Ordinal) && !NamesEquivalent(model, op, body))
            {
                failures.Add($"{op.Name}: expected 501 naming it, got {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {model.Operations.Count} {serviceName}/{protocol} operations:\n" + string.Join("\n", failures.Take(20)));
    }

    // S3 keeps deprecated twins on the same route (GetBucketLifecycle / GetBucketLifecycleConfiguration);
    // routing picks the current one, which is what a client of either gets. Twins with the same required
    // inputs (ListBuckets / ListDirectoryBuckets) differ only by optional parameters this request leaves out.
    private static bool NamesEquivalent(Nephele.Core.Models.ServiceModel model, Nephele.Core.Models.OperationModel op, string body) =>
        Twins(model, op).Any(o => body.Contains(o.Name, StringComparison.Ordinal));

    private static IEnumerable<Nephele.Core.Models.OperationModel> Twins(Nephele.Core.Models.ServiceModel model, Nephele.Core.Models.OperationModel op) =>
        model.Operations.Values.Where(o => o != op && o.HttpMethod == op.HttpMethod
            && o.RequestUri.Split('?')[0] == op.RequestUri.Split('?')[0]
            && (op.Deprecated || RequiredInputs(o) == RequiredInputs(op)));

    private static string RequiredInputs(Nephele.Core.Models.OperationModel op) => op.Input is not { } input ? ""
        : string.Join(",", input.Members.Where(m => input.Required.Contains(m.Name) && m.Location != Nephele.Core.Models.MemberLocation.Body)
            .Select(m => $"{m.Location}:{m.WireName}").Order(StringComparer.Ordinal));
}
