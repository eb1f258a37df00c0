using System.Globalization;
using Microsoft.AspNetCore.Http;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.S3;

/// <summary>
/// The static website endpoint: requests to "&lt;bucket&gt;.s3-website.&lt;region&gt;.localhost[:port]" (or
/// "&lt;bucket&gt;.s3-website-&lt;region&gt;...") are answered as S3's website endpoint answers them — anonymous GET and
/// HEAD only, index documents for the root and folders, the error document, RedirectAllRequestsTo, routing rules,
/// per-object redirects (x-amz-website-redirect-location) and HTML error pages instead of XML. Only publicly readable
/// objects are served (<see cref="WebsiteMayRead"/>); others answer 403 AccessDenied.
/// </summary>
public sealed partial class S3Provider
{
    private void RegisterWebsiteEndpoint() => env.Routes.MapHost(host => S3WebsiteHosts.BucketOf(host) is not null, ServeWebsiteAsync);

    private async Task ServeWebsiteAsync(HttpContext http)
    {
        var page = new S3WebsitePage(http);
        try
        {
            await ServeWebsiteRequestAsync(http, page);
        }
        catch (AwsException e) when (!http.Response.HasStarted)
        {
            await page.ErrorAsync(e);
        }
    }

    private async Task ServeWebsiteRequestAsync(HttpContext http, S3WebsitePage page)
    {
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            var error = new AwsException("MethodNotAllowed", "The specified method is not allowed against this resource.", 405);
            error.Fields["Method"] = http.Request.Method;
            error.Fields["ResourceType"] = "OBJECT";
            throw error;
        }
        var name = S3WebsiteHosts.BucketOf(http.Request.Host.Value!)!;
        var bucket = _buckets.Get(name) ?? throw S3Errors.NoSuchBucket(name);
        var config = WebsiteConfiguration(bucket.Name) ?? throw WithField(S3ConfigErrors.NoSuchWebsiteConfiguration(), "BucketName", name);
        var scheme = http.Request.Headers["X-Forwarded-Proto"].FirstOrDefault() ?? http.Request.Scheme;
        if (config.GetStruct("RedirectAllRequestsTo") is { } all)
        {
            page.Redirect(301, $"{all.GetString("Protocol") ?? scheme}://{all.GetString("HostName")}{http.Request.Path.ToUriComponent()}");
            return;
        }

        var key = (http.Request.Path.Value ?? "/")[1..];
        var rules = config.GetList("RoutingRules")?.OfType<Dictionary<string, object?>>().ToList() ?? [];
        var website = new S3WebsiteRouting(rules, scheme, http.Request.Host.Value!);
        if (website.Redirect(key, errorCode: null) is { } early)
        {
            page.Redirect(early.Status, early.Location);
            return;
        }
        var index = config.GetStruct("IndexDocument")?.GetString("Suffix");
        var lookup = key.Length == 0 || key.EndsWith('/') ? key + index : key;
        var obj = _objects.Current(bucket.Name, lookup);
        try
        {
            if (obj is null)
            {
                // A folder asked for without its trailing slash is redirected to it when it has an index document.
                if (key.Length > 0 && !key.EndsWith('/') && index is not null && _objects.Current(bucket.Name, key + "/" + index) is not null)
                {
                    page.Redirect(302, "/" + S3WebsiteRouting.EscapePath(key) + "/");
                    return;
                }
                throw WebsiteMayList(http, bucket) ? S3ObjectErrors.NoSuchKey(lookup) : S3Errors.AccessDenied();
            }
            if (!WebsiteMayRead(http, bucket, obj)) throw S3Errors.AccessDenied();
            if (obj.WebsiteRedirectLocation is { } location)
            {
                page.Redirect(301, location);
                return;
            }
            await ServeWebsiteObjectAsync(http, page, bucket, obj, errorStatus: null);
        }
        catch (AwsException e) when (!http.Response.HasStarted)
        {
            if (website.Redirect(key, e.HttpStatus) is { } onError)
            {
                page.Redirect(onError.Status, onError.Location);
                return;
            }
            if (config.GetStruct("ErrorDocument")?.GetString("Key") is not { } errorKey || e.HttpStatus is not (403 or 404)) throw;
            // The error document is served with the error's status; when it cannot be, the page says so.
            AwsException? documentError = null;
            if (_objects.Current(bucket.Name, errorKey) is { } document)
            {
                try
                {
                    await ServeWebsiteObjectAsync(http, page, bucket, document, e.HttpStatus);
                    return;
                }
                catch (AwsException inner) when (!http.Response.HasStarted)
                {
                    documentError = inner;
                }
            }
            await page.ErrorAsync(e, documentError ?? S3ObjectErrors.NoSuchKey(errorKey));
        }
    }

    /// <summary>An object's bytes and headers; conditional and range GETs as S3 answers them. Objects whose keys the
    /// website cannot use anonymously (SSE-C, SSE-KMS) are refused, as AWS's website endpoint refuses them.</summary>
    private async Task ServeWebsiteObjectAsync(HttpContext http, S3WebsitePage page, BucketRecord bucket, ObjectRecord obj, int? errorStatus)
    {
        if (obj.SseCustomerKeyMd5 is not null || obj.ServerSideEncryption is "aws:kms" or "aws:kms:dsse") throw S3Errors.AccessDenied();
        if (errorStatus is not null && !WebsiteMayRead(http, bucket, obj)) throw S3Errors.AccessDenied();
        var conditions = new Dictionary<string, object?>
        {
            ["IfMatch"] = http.Request.Headers.IfMatch.FirstOrDefault(),
            ["IfNoneMatch"] = http.Request.Headers.IfNoneMatch.FirstOrDefault(),
            ["IfModifiedSince"] = HttpDate(http.Request.Headers.IfModifiedSince.FirstOrDefault()),
            ["IfUnmodifiedSince"] = HttpDate(http.Request.Headers.IfUnmodifiedSince.FirstOrDefault()),
        };
        var response = http.Response;
        page.Stamp();
        response.Headers.ETag = obj.ETag;
        response.Headers.LastModified = obj.LastModified.ToString("R", CultureInfo.InvariantCulture);
        if (errorStatus is null)
        {
            try
            {
                ObjectConditions.CheckRead(conditions, obj, env.Clock.GetUtcNow());
            }
            catch (AwsException e) when (e.HttpStatus == 304)
            {
                response.StatusCode = 304;
                return;
            }
        }
        var range = errorStatus is null ? ByteRange.Parse(http.Request.Headers.Range.FirstOrDefault(), obj.Size) : null;
        response.StatusCode = errorStatus ?? (range is null ? 200 : 206);
        response.ContentType = obj.ContentType ?? "binary/octet-stream";
        if (obj.ContentEncoding is { } ce) response.Headers.ContentEncoding = ce;
        if (obj.ContentDisposition is { } cd) response.Headers.ContentDisposition = cd;
        if (obj.ContentLanguage is { } cl) response.Headers.ContentLanguage = cl;
        if (obj.CacheControl is { } cc) response.Headers.CacheControl = cc;
        if (obj.Expires is { } ex) response.Headers.Expires = ex.ToString("R", CultureInfo.InvariantCulture);
        foreach (var (k, v) in obj.Metadata) response.Headers["x-amz-meta-" + k] = v;
        if (errorStatus is null) response.Headers.AcceptRanges = "bytes";
        if (range is { } r) response.Headers.ContentRange = r.ContentRange(obj.Size);
        response.ContentLength = range?.Length ?? obj.Size;
        if (HttpMethods.IsHead(http.Request.Method)) return;
        var key = ContentKey(new Scope(bucket.Owner, bucket.Region), obj, []);
        await using var body = ObjectBody.Open(_objects.Blobs, obj, range?.Start ?? 0, range?.Length ?? obj.Size, key);
        await body.CopyToAsync(response.Body, http.RequestAborted);
    }

    private static DateTimeOffset? HttpDate(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static AwsException WithField(AwsException error, string name, string value)
    {
        error.Fields[name] = value;
        return error;
    }
}

/// <summary>Which Host headers name a bucket's website endpoint.</summary>
internal static class S3WebsiteHosts
{
    private const string Marker = ".s3-website";

    /// <summary>The bucket of "&lt;bucket&gt;.s3-website.&lt;region&gt;..." or "&lt;bucket&gt;.s3-website-&lt;region&gt;...", else null.</summary>
    public static string? BucketOf(string host)
    {
        var i = host.IndexOf(Marker, StringComparison.OrdinalIgnoreCase);
        if (i <= 0 || host.Length <= i + Marker.Length || host[i + Marker.Length] is not ('.' or '-')) return null;
        return host[..i].ToLowerInvariant();
    }
}
