using System.Text;
using Nephele.Core.Models;

namespace Nephele.Core.Protocols.Query;

/// <summary>
/// Where query and ec2 requests carry their parameters: a form body (POST, application/x-www-form-urlencoded),
/// else the query string (GET). Parameters in the query string of a form POST still count, after the body's.
/// </summary>
internal static class QueryForm
{
    private const string FormType = "application/x-www-form-urlencoded";

    public static bool HasFormBody(AwsRequest request)
    {
        if (request.Method is "GET" or "HEAD" or "DELETE") return false;
        var type = request.ContentType;
        return type is null || type.StartsWith(FormType, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The operation named by the Action parameter. The gateway buffers form bodies while detecting the
    /// service, so reading the body here completes at once; only a caller that skipped that waits on it.
    /// </summary>
    public static OperationModel? ResolveOperation(ServiceModel model, AwsRequest request)
    {
        string? action = null;
        if (HasFormBody(request))
        {
            var read = request.ReadBodyAsync();
            var body = read.IsCompletedSuccessfully ? read.Result : read.AsTask().GetAwaiter().GetResult();
            action = FindAction(Encoding.UTF8.GetString(body));
        }
        action ??= request.Query.Get("Action");
        return string.IsNullOrEmpty(action) ? null : model.FindOperation(action);
    }

    public static async ValueTask<IEnumerable<KeyValuePair<string, string>>> ReadAsync(AwsRequest request, CancellationToken ct)
    {
        if (!HasFormBody(request)) return request.Query;
        var body = await request.ReadBodyAsync(ct).ConfigureAwait(false);
        var form = QueryMap.Parse(Encoding.UTF8.GetString(body));
        return request.QueryString.Length == 0 ? form : form.Concat(request.Query);
    }

    // Scans for Action without decoding every parameter: ResolveOperation runs before the full parse.
    private static string? FindAction(string form)
    {
        var start = 0;
        while (start < form.Length)
        {
            var end = form.IndexOf('&', start);
            if (end < 0) end = form.Length;
            if (end - start > 7 && string.CompareOrdinal(form, start, "Action=", 0, 7) == 0)
                return QueryMap.Decode(form[(start + 7)..end]);
            start = end + 1;
        }
        return null;
    }
}
