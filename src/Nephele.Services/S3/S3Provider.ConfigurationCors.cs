using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>
/// CORS: the bucket's rules as a configuration document, and the answers browsers get from them —
/// preflight OPTIONS requests and the Access-Control-* headers of actual requests (see <see cref="IResourceCors"/>).
/// </summary>
public sealed partial class S3Provider : IResourceCors
{
    private const string CorsConfigName = "Cors";
    private static readonly HashSet<string> CorsMethods = new(StringComparer.Ordinal) { "GET", "PUT", "HEAD", "POST", "DELETE" };

    private const string CorsNotAllowed =
        "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

    private void RegisterCors(OperationRegistry operations) =>
        RegisterDocument(operations, CorsConfigName, "PutBucketCors", "GetBucketCors", "DeleteBucketCors",
            S3ConfigErrors.NoSuchCorsConfiguration, (_, _, doc) => ValidateCors(doc));

    private static void ValidateCors(Dictionary<string, object?> doc)
    {
        var rules = doc.GetList("CORSRules")?.OfType<Dictionary<string, object?>>().ToList() ?? [];
        if (rules.Count is 0 or > 100) throw S3ConfigErrors.MalformedXml();
        foreach (var rule in rules)
        {
            var methods = rule.GetStrings("AllowedMethods");
            var origins = rule.GetStrings("AllowedOrigins");
            if (methods.Count == 0 || origins.Count == 0) throw S3ConfigErrors.MalformedXml();
            foreach (var method in methods)
                if (!CorsMethods.Contains(method))
                    throw S3ConfigErrors.InvalidRequest("Found unsupported HTTP method in CORS config. Unsupported method is " + method);
            foreach (var origin in origins)
                if (origin.Count(c => c == '*') > 1)
                    throw S3ConfigErrors.InvalidRequest($"AllowedOrigin \"{origin}\" can not have more than one wildcard.");
            foreach (var header in rule.GetStrings("AllowedHeaders"))
                if (header.Count(c => c == '*') > 1)
                    throw S3ConfigErrors.InvalidRequest($"AllowedHeader \"{header}\" can not have more than one wildcard.");
            foreach (var header in rule.GetStrings("ExposeHeaders"))
                if (header.Contains('*'))
                    throw S3ConfigErrors.InvalidRequest($"ExposeHeader \"{header}\" contains wildcard. We currently do not support wildcard for ExposeHeader.");
            if (rule.GetString("ID") is { Length: > 255 }) throw S3ConfigErrors.InvalidArgument("ID length should not exceed allowed limit of 255");
        }
    }

    public AwsResponse Preflight(AwsRequest request)
    {
        var (bucketName, isObject) = CorsTarget(request);
        var method = request.Headers.Get("Access-Control-Request-Method");
        if (request.Headers.Get("Origin") is not { Length: > 0 } origin)
            throw new AwsException("BadRequest", "Insufficient information. Origin request header needed.", 400);
        if (bucketName is null || _buckets.Get(bucketName) is null)
            throw CorsForbidden("CORSResponse: Bucket not found", method ?? "OPTIONS", "BUCKET");
        if (_configs.Get(bucketName, CorsConfigName) is not { } cors)
            throw CorsForbidden("CORSResponse: CORS is not enabled for this bucket.", method ?? "OPTIONS", "BUCKET");
        if (method is null)
            throw new AwsException("BadRequest", "Invalid Access-Control-Request-Method: null", 400);
        var requested = request.Headers.Get("Access-Control-Request-Headers");
        var rule = MatchCorsRule(cors, origin, method, requested)
            ?? throw CorsForbidden(CorsNotAllowed, method, isObject ? "OBJECT" : "BUCKET");
        var response = new AwsResponse { StatusCode = 200 };
        AddRuleHeaders(rule, origin, requested, response.Headers);
        return response;
    }

    public void AddCorsHeaders(AwsRequest request, HeaderMap responseHeaders)
    {
        var (bucketName, _) = CorsTarget(request);
        if (bucketName is null || request.Headers.Get("Origin") is not { Length: > 0 } origin) return;
        if (_configs.Get(bucketName, CorsConfigName) is not { } cors) return;
        if (MatchCorsRule(cors, origin, request.Method, null) is { } rule) AddRuleHeaders(rule, origin, null, responseHeaders);
    }

    /// <summary>The bucket a (path-style) request names, and whether it names an object in it.</summary>
    private static (string? Bucket, bool IsObject) CorsTarget(AwsRequest request)
    {
        var path = request.Path.TrimStart('/');
        if (path.Length == 0) return (null, false);
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var bucket = Uri.UnescapeDataString(slash < 0 ? path : path[..slash]);
        return (bucket, slash >= 0 && slash < path.Length - 1);
    }

    /// <summary>The first rule that allows the origin, the method and every requested header, as S3 evaluates them.</summary>
    private static Dictionary<string, object?>? MatchCorsRule(Dictionary<string, object?> cors, string origin, string method, string? requestedHeaders)
    {
        var requested = (requestedHeaders ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var rule in cors.GetList("CORSRules")?.OfType<Dictionary<string, object?>>() ?? [])
        {
            if (!rule.GetStrings("AllowedMethods").Contains(method, StringComparer.Ordinal)) continue;
            if (!rule.GetStrings("AllowedOrigins").Any(o => WildcardMatch(o, origin, StringComparison.Ordinal))) continue;
            var allowed = rule.GetStrings("AllowedHeaders");
            if (!requested.All(h => allowed.Any(a => WildcardMatch(a, h, StringComparison.OrdinalIgnoreCase)))) continue;
            return rule;
        }
        return null;
    }

    private static void AddRuleHeaders(Dictionary<string, object?> rule, string origin, string? requestedHeaders, HeaderMap headers)
    {
        // A rule for any origin answers "*" and no credentials; otherwise the origin itself, with credentials.
        var anyOrigin = rule.GetStrings("AllowedOrigins").Contains("*");
        headers.Set("Access-Control-Allow-Origin", anyOrigin ? "*" : origin);
        if (!anyOrigin) headers.Set("Access-Control-Allow-Credentials", "true");
        headers.Set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
        headers.Set("Access-Control-Allow-Methods", string.Join(", ", rule.GetStrings("AllowedMethods")));
        if (!string.IsNullOrWhiteSpace(requestedHeaders)) headers.Set("Access-Control-Allow-Headers", requestedHeaders.ToLowerInvariant());
        if (rule.GetStrings("ExposeHeaders") is { Count: > 0 } expose) headers.Set("Access-Control-Expose-Headers", string.Join(", ", expose));
        if (rule.GetLong("MaxAgeSeconds") is { } maxAge) headers.Set("Access-Control-Max-Age", maxAge.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>S3's pattern match: "*" alone matches anything, one "*" inside matches any run of characters.</summary>
    private static bool WildcardMatch(string pattern, string value, StringComparison comparison)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0) return string.Equals(pattern, value, comparison);
        var head = pattern[..star];
        var tail = pattern[(star + 1)..];
        return value.Length >= head.Length + tail.Length && value.StartsWith(head, comparison) && value.EndsWith(tail, comparison);
    }

    private static AwsException CorsForbidden(string message, string method, string resourceType) =>
        new("AccessForbidden", message, 403, fields: new() { ["Method"] = method, ["ResourceType"] = resourceType });
}
