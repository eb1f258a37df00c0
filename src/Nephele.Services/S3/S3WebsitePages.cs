using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>What the website endpoint writes besides objects: redirects and S3's HTML error pages.</summary>
internal sealed class S3WebsitePage(HttpContext http)
{
    private readonly string _requestId = RequestIds.New().Replace("-", "", StringComparison.Ordinal)[..16].ToUpperInvariant();

    /// <summary>The request id headers every answer carries.</summary>
    public void Stamp()
    {
        http.Response.Headers["x-amz-request-id"] = _requestId;
        http.Response.Headers["x-amz-id-2"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(_requestId + _requestId));
    }

    public void Redirect(int status, string location)
    {
        http.Response.StatusCode = status;
        http.Response.Headers.Location = location;
        http.Response.ContentLength = 0;
        Stamp();
    }

    /// <summary>
    /// S3's HTML error page: status line as title and heading, the error's code, message and fields as a list; when the
    /// error document could not be served, a second list says why.
    /// </summary>
    public async Task ErrorAsync(AwsException error, AwsException? documentError = null)
    {
        Stamp();
        var title = $"{error.HttpStatus} {ReasonPhrases.GetReasonPhrase(error.HttpStatus)}";
        var html = new StringBuilder();
        html.Append("<html>\n<head><title>").Append(title).Append("</title></head>\n<body>\n<h1>").Append(title).Append("</h1>\n<ul>\n");
        AppendItems(html, error);
        html.Append("<li>RequestId: ").Append(_requestId).Append("</li>\n");
        html.Append("<li>HostId: ").Append(http.Response.Headers["x-amz-id-2"].FirstOrDefault() ?? "").Append("</li>\n</ul>\n");
        if (documentError is not null)
        {
            html.Append("<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n");
            AppendItems(html, documentError);
            html.Append("</ul>\n");
        }
        html.Append("<hr/>\n</body>\n</html>\n");
        var bytes = Encoding.UTF8.GetBytes(html.ToString());
        http.Response.StatusCode = error.HttpStatus;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.ContentLength = bytes.Length;
        foreach (var (name, value) in error.Headers) http.Response.Headers[name] = value;
        if (!HttpMethods.IsHead(http.Request.Method)) await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
    }

    private static void AppendItems(StringBuilder html, AwsException error)
    {
        html.Append("<li>Code: ").Append(WebUtility.HtmlEncode(error.Code)).Append("</li>\n");
        html.Append("<li>Message: ").Append(WebUtility.HtmlEncode(error.Message)).Append("</li>\n");
        foreach (var (name, value) in error.Fields)
            html.Append("<li>").Append(name).Append(": ").Append(WebUtility.HtmlEncode(Convert.ToString(value, CultureInfo.InvariantCulture))).Append("</li>\n");
    }
}

/// <summary>
/// A website configuration's routing rules: the first rule whose condition holds (KeyPrefixEquals on the requested key,
/// HttpErrorCodeReturnedEquals on the error the request would get) redirects, by HostName, Protocol, ReplaceKeyWith or
/// ReplaceKeyPrefixWith and HttpRedirectCode (301 by default), to the same host and protocol unless it names others.
/// </summary>
internal sealed class S3WebsiteRouting(List<Dictionary<string, object?>> rules, string scheme, string host)
{
    public readonly record struct Target(int Status, string Location);

    /// <param name="errorCode">Null before the object is looked up (rules without an error-code condition), else the HTTP status it failed with.</param>
    public Target? Redirect(string key, int? errorCode)
    {
        foreach (var rule in rules)
        {
            var condition = rule.GetStruct("Condition");
            var prefix = condition?.GetString("KeyPrefixEquals");
            var code = condition?.GetString("HttpErrorCodeReturnedEquals");
            if (prefix is not null && !key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            if (errorCode is null ? code is not null : code != errorCode.Value.ToString(CultureInfo.InvariantCulture)) continue;
            var redirect = rule.GetStruct("Redirect") ?? [];
            var newKey = redirect.GetString("ReplaceKeyWith")
                ?? (redirect.GetString("ReplaceKeyPrefixWith") is { } replacement ? replacement + key[(prefix ?? "").Length..] : key);
            var status = int.TryParse(redirect.GetString("HttpRedirectCode"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 301;
            return new Target(status, $"{redirect.GetString("Protocol") ?? scheme}://{redirect.GetString("HostName") ?? host}/{EscapePath(newKey)}");
        }
        return null;
    }

    /// <summary>A key as a URL path: each segment percent-encoded, the slashes kept.</summary>
    public static string EscapePath(string key) => string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
}
