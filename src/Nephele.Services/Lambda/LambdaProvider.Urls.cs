using System.Globalization;
using System.Security.Cryptography;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Lambda;

/// <summary>Function URL configs: Create/Get/Update/Delete/ListFunctionUrlConfigs. Serving the URLs is in LambdaProvider.UrlsServing.cs.</summary>
public sealed partial class LambdaProvider
{
    private FunctionUrlStore? _urlStore;
    private FunctionUrlStore Urls => _urlStore ??= new FunctionUrlStore(_env.State);

    private Dictionary<string, object?> CreateFunctionUrlConfig(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = UrlFunction(ctx, input);
        var authType = ValidAuthType(input.GetString("AuthType") ?? throw LambdaErrors.Constraint(null, "authType", "Member must not be null"));
        var invokeMode = ValidInvokeMode(input.GetString("InvokeMode") ?? "BUFFERED");
        var cors = input.GetStruct("Cors") is { } c ? ValidCors(c) : null;
        var record = Urls.Transaction(() =>
        {
            if (Urls.Get(f.Scope, f.Name, f.Qualifier) is not null)
                throw LambdaErrors.Conflict($"Failed to create function url config for [functionArn = {f.QualifiedArn}]. Error message:  FunctionUrlConfig exists for this Lambda function");
            var created = new FunctionUrlRecord
            {
                FunctionName = f.Name,
                Qualifier = f.Qualifier,
                UrlId = NewUrlId(),
                AuthType = authType,
                InvokeMode = invokeMode,
                Cors = cors,
                CreationTime = ctx.Now,
                LastModifiedTime = ctx.Now,
            };
            Urls.Put(f.Scope, created);
            return created;
        });
        var output = UrlConfigOutput(ctx, f.Scope, record);
        output.Remove("LastModifiedTime");
        return output;
    }

    private Dictionary<string, object?> GetFunctionUrlConfig(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = UrlFunction(ctx, input);
        var record = Urls.Get(f.Scope, f.Name, f.Qualifier) ?? throw LambdaErrors.ResourceNotFound("The resource you requested does not exist.");
        return UrlConfigOutput(ctx, f.Scope, record);
    }

    private Dictionary<string, object?> UpdateFunctionUrlConfig(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = UrlFunction(ctx, input);
        var authType = input.GetString("AuthType") is { } a ? ValidAuthType(a) : null;
        var invokeMode = input.GetString("InvokeMode") is { } m ? ValidInvokeMode(m) : null;
        var cors = input.GetStruct("Cors") is { } c ? ValidCors(c) : null;
        var record = Urls.Transaction(() =>
        {
            var current = Urls.Get(f.Scope, f.Name, f.Qualifier) ?? throw LambdaErrors.ResourceNotFound("The resource you requested does not exist.");
            var updated = current with
            {
                AuthType = authType ?? current.AuthType,
                InvokeMode = invokeMode ?? current.InvokeMode,
                Cors = input.ContainsKey("Cors") ? cors : current.Cors,
                LastModifiedTime = ctx.Now,
            };
            Urls.Put(f.Scope, updated);
            return updated;
        });
        return UrlConfigOutput(ctx, f.Scope, record);
    }

    private Dictionary<string, object?> DeleteFunctionUrlConfig(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = UrlFunction(ctx, input);
        Urls.Transaction(() =>
        {
            var current = Urls.Get(f.Scope, f.Name, f.Qualifier) ?? throw LambdaErrors.ResourceNotFound("The resource you requested does not exist.");
            return Urls.Delete(f.Scope, current);
        });
        return new() { ["StatusCode"] = 204L };
    }

    private Dictionary<string, object?> ListFunctionUrlConfigs(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input, allowQualifier: false);
        RequireFunction(f);
        if (input.GetInt("MaxItems") is { } max && max is < 1 or > 50)
            throw LambdaErrors.Constraint(max, "maxItems", max < 1 ? "Member must have value greater than or equal to 1" : "Member must have value less than or equal to 50");
        var (page, next) = Page(Urls.List(f.Scope, f.Name), r => r.Qualifier ?? "", input);
        return new()
        {
            ["FunctionUrlConfigs"] = page.Select(r => (object?)UrlConfigOutput(ctx, f.Scope, r)).ToList(),
            ["NextMarker"] = next,
        };
    }

    /// <summary>Removes the URL configs of a deleted function (or of one deleted alias).</summary>
    private void DeleteFunctionUrls(Scope scope, string function, string? qualifier = null) => Urls.Transaction(() =>
    {
        foreach (var record in Urls.List(scope, function).Where(r => qualifier is null || r.Qualifier == qualifier).ToList()) Urls.Delete(scope, record);
        return 0;
    });

    /// <summary>The function a URL belongs to: $LATEST (unqualified) or an existing alias; never a version number.</summary>
    private FunctionRef UrlFunction(RequestContext ctx, Dictionary<string, object?> input)
    {
        var f = ParseName(ctx, input);
        if (f.Qualifier is { } q && IsVersionNumber(q))
            throw LambdaErrors.Constraint(q, "qualifier", "Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)");
        RequireFunction(f);
        if (f.Qualifier == LambdaStore.Latest) f = f with { Qualifier = null };
        if (f.Qualifier is { } alias && _store.Alias(f.Scope, f.Name, alias) is null) throw LambdaErrors.NotFound(f.QualifiedArn);
        return f;
    }

    private static Dictionary<string, object?> UrlConfigOutput(RequestContext ctx, Scope scope, FunctionUrlRecord r)
    {
        var output = new Dictionary<string, object?>
        {
            ["FunctionUrl"] = FunctionUrl(ctx, r.UrlId, scope.Region),
            ["FunctionArn"] = FunctionArn(scope, r.FunctionName, r.Qualifier),
            ["AuthType"] = r.AuthType,
            ["InvokeMode"] = r.InvokeMode,
            ["CreationTime"] = UrlTimestamp(r.CreationTime),
            ["LastModifiedTime"] = UrlTimestamp(r.LastModifiedTime),
        };
        if (r.Cors is { } cors)
        {
            var c = new Dictionary<string, object?>();
            if (cors.AllowCredentials is { } credentials) c["AllowCredentials"] = credentials;
            if (cors.AllowHeaders.Count > 0) c["AllowHeaders"] = cors.AllowHeaders.Select(h => (object?)h).ToList();
            if (cors.AllowMethods.Count > 0) c["AllowMethods"] = cors.AllowMethods.Select(h => (object?)h).ToList();
            if (cors.AllowOrigins.Count > 0) c["AllowOrigins"] = cors.AllowOrigins.Select(h => (object?)h).ToList();
            if (cors.ExposeHeaders.Count > 0) c["ExposeHeaders"] = cors.ExposeHeaders.Select(h => (object?)h).ToList();
            if (cors.MaxAge is { } age) c["MaxAge"] = (long)age;
            output["Cors"] = c;
        }
        return output;
    }

    /// <summary>The URL Nephele serves the function at: AWS's &lt;id&gt;.lambda-url.&lt;region&gt;.on.aws becomes a subdomain of the
    /// host the caller reached Nephele by when that is localhost.localstack.cloud, else of "localhost" on Nephele's port.</summary>
    private static string FunctionUrl(RequestContext ctx, string urlId, string region)
    {
        var host = ctx.Request.Host;
        var colon = host.LastIndexOf(':');
        var port = colon > 0 && !host.EndsWith(']') ? host[colon..] : "";
        var name = colon > 0 && !host.EndsWith(']') ? host[..colon] : host;
        var domain = name.EndsWith("localhost.localstack.cloud", StringComparison.OrdinalIgnoreCase) ? "localhost.localstack.cloud" : "localhost";
        return $"http://{urlId}.lambda-url.{region}.{domain}{port}/";
    }

    private static string UrlTimestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>32 lower-case letters and digits, as AWS's URL ids.</summary>
    private static string NewUrlId()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(32, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        });
    }

    private static string ValidAuthType(string authType) => authType is "NONE" or "AWS_IAM" ? authType
        : throw LambdaErrors.Constraint(authType, "authType", "Member must satisfy enum value set: [NONE, AWS_IAM]");

    private static string ValidInvokeMode(string mode) => mode is "BUFFERED" or "RESPONSE_STREAM" ? mode
        : throw LambdaErrors.Constraint(mode, "invokeMode", "Member must satisfy enum value set: [BUFFERED, RESPONSE_STREAM]");

    private static UrlCors ValidCors(Dictionary<string, object?> c)
    {
        var maxAge = c.GetInt("MaxAge");
        if (maxAge is < 0 or > 86400) throw LambdaErrors.Constraint(maxAge, "cors.maxAge", "Member must have value between 0 and 86400");
        var methods = c.GetStrings("AllowMethods");
        foreach (var method in methods)
            if (method.Length > 6) throw LambdaErrors.Constraint($"[{string.Join(", ", methods)}]", "cors.allowMethods", "Member must satisfy constraint: [Member must have length less than or equal to 6]");
        var origins = c.GetStrings("AllowOrigins");
        if (origins.Count > 100 || origins.Any(o => o.Length is < 1 or > 253))
            throw LambdaErrors.Constraint($"[{string.Join(", ", origins)}]", "cors.allowOrigins", "Member must satisfy constraint: [Member must have length less than or equal to 253, Member must have length greater than or equal to 1]");
        return new UrlCors
        {
            AllowCredentials = c.GetBool("AllowCredentials"),
            AllowHeaders = [.. c.GetStrings("AllowHeaders")],
            AllowMethods = [.. methods],
            AllowOrigins = [.. origins],
            ExposeHeaders = [.. c.GetStrings("ExposeHeaders")],
            MaxAge = maxAge,
        };
    }
}
