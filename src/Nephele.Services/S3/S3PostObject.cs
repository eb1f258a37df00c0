using System.Globalization;
using System.Security;
using System.Text;
using System.Xml;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.Protocols.Rest;

namespace Nephele.Services.S3;

/// <summary>
/// POST Object: browser-based uploads of an HTML form (multipart/form-data) to the bucket's URL, authorized by a signed
/// POST policy instead of a signed request. AWS documents it but the S3 service model has no such operation, so the
/// gateway hands it here (<see cref="IUnmodeledOperations"/>). The form's fields become PutObject's headers and the
/// file its body, so a POST stores exactly what the same PUT would.
/// </summary>
public sealed partial class S3Provider : IUnmodeledOperations
{
    private const string PostObjectOperation = "PostObject";

    /// <summary>A POST to a bucket's URL itself (no key, no subresource) that no modeled operation took.</summary>
    public string? Match(AwsRequest request) =>
        HttpMethodsPost(request.Method) && request.Path.TrimEnd('/').LastIndexOf('/') == 0 && request.Path.Length > 1 ? PostObjectOperation : null;

    private static bool HttpMethodsPost(string method) => method.Equals("POST", StringComparison.OrdinalIgnoreCase);

    public async ValueTask<AwsResponse> HandleAsync(RequestContext ctx)
    {
        var name = Uri.UnescapeDataString(ctx.Request.Path.Trim('/'));
        var bucket = _buckets.Get(name) ?? throw S3Errors.NoSuchBucket(name);
        var form = await S3PostForm.ReadAsync(ctx.Request, ctx.Aborted);
        if (form.File is null) throw S3Errors.InvalidArgument("POST requires exactly one file upload per request.", "file", "0");
        var key = form.Get("key") ?? throw S3Errors.InvalidArgument(
            "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.", "key", "");
        var caller = AuthenticatePost(ctx, form, bucket);
        (long Min, long Max)? range = null;
        if (form.Get("policy") is { } policy) range = S3PostPolicy.Parse(policy).Check(ctx.Now, form, bucket.Name);

        var input = PostInput(form, bucket.Name, key);
        input["Body"] = new SizeLimitedStream(form.File, range);
        var post = new RequestContext
        {
            RequestId = ctx.RequestId,
            Service = ctx.Service,
            Model = ctx.Model,
            Operation = ctx.Operation,
            Request = ctx.Request,
            Caller = caller,
            Region = ctx.Region,
            Clock = ctx.Clock,
            Aborted = ctx.Aborted,
        };
        // Under IAM enforcement the signer needs s3:PutObject on the key, as for a PUT of the same object.
        ctx.AuthorizeAs?.Invoke(new RequestContext
        {
            RequestId = ctx.RequestId,
            Service = ctx.Service,
            Model = ctx.Model,
            Operation = ctx.Model.FindOperation("PutObject")!,
            Request = ctx.Request,
            Caller = caller,
            Region = ctx.Region,
            Clock = ctx.Clock,
            Aborted = ctx.Aborted,
        }, input);
        var output = await WithNotifications(post, "ObjectCreated:Post", bucket.Name, () => PutObject(post, input));
        return PostResponse(ctx, form, bucket.Name, key, output);
    }

    /// <summary>PutObject's input from the form's fields (the REST headers of a PUT, passed as fields).</summary>
    private static Dictionary<string, object?> PostInput(S3PostForm form, string bucket, string key)
    {
        var input = new Dictionary<string, object?> { ["Bucket"] = bucket, ["Key"] = key };
        var metadata = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (field, value) in form.Fields)
        {
            var lower = field.ToLowerInvariant();
            if (lower.StartsWith("x-amz-meta-", StringComparison.Ordinal)) metadata[lower["x-amz-meta-".Length..]] = value;
            else if (PostFieldMembers.TryGetValue(lower, out var member)) input[member] = value;
            else if (lower.StartsWith("x-amz-checksum-", StringComparison.Ordinal) && S3Checksums.Normalize(lower["x-amz-checksum-".Length..]) is { } algorithm)
                input[S3Checksums.MemberOf(algorithm)] = value;
        }
        if (metadata.Count > 0) input["Metadata"] = metadata;
        if (input.GetString("Expires") is { } expires)
        {
            if (DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) input["Expires"] = at;
            else input.Remove("Expires");
        }
        if (input.GetString("ObjectLockRetainUntilDate") is { } until)
            input["ObjectLockRetainUntilDate"] = DateTimeOffset.Parse(until, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        if (input.GetString("BucketKeyEnabled") is { } bucketKey) input["BucketKeyEnabled"] = bucketKey.Equals("true", StringComparison.OrdinalIgnoreCase);
        if (form.Get("tagging") is { } tagging) input["Tagging"] = PostTagging(tagging);
        return input;
    }

    private static readonly Dictionary<string, string> PostFieldMembers = new(StringComparer.Ordinal)
    {
        ["acl"] = "ACL",
        ["cache-control"] = "CacheControl",
        ["content-type"] = "ContentType",
        ["content-disposition"] = "ContentDisposition",
        ["content-encoding"] = "ContentEncoding",
        ["content-language"] = "ContentLanguage",
        ["content-md5"] = "ContentMD5",
        ["expires"] = "Expires",
        ["x-amz-storage-class"] = "StorageClass",
        ["x-amz-website-redirect-location"] = "WebsiteRedirectLocation",
        ["x-amz-server-side-encryption"] = "ServerSideEncryption",
        ["x-amz-server-side-encryption-aws-kms-key-id"] = "SSEKMSKeyId",
        ["x-amz-server-side-encryption-context"] = "SSEKMSEncryptionContext",
        ["x-amz-server-side-encryption-bucket-key-enabled"] = "BucketKeyEnabled",
        ["x-amz-server-side-encryption-customer-algorithm"] = "SSECustomerAlgorithm",
        ["x-amz-server-side-encryption-customer-key"] = "SSECustomerKey",
        ["x-amz-server-side-encryption-customer-key-md5"] = "SSECustomerKeyMD5",
        ["x-amz-checksum-algorithm"] = "ChecksumAlgorithm",
        ["x-amz-object-lock-mode"] = "ObjectLockMode",
        ["x-amz-object-lock-retain-until-date"] = "ObjectLockRetainUntilDate",
        ["x-amz-object-lock-legal-hold"] = "ObjectLockLegalHoldStatus",
    };

    /// <summary>The tagging field is a Tagging XML document (not PUT's URL-encoded pairs); another root element means no tags.</summary>
    private static string PostTagging(string xml)
    {
        var document = new XmlDocument { XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document.Load(reader);
        }
        catch (XmlException)
        {
            throw S3ObjectErrors.MalformedXml();
        }
        var pairs = new List<string>();
        if (document.DocumentElement is { LocalName: "Tagging" } root)
        {
            foreach (XmlNode tag in root.SelectNodes("*[local-name()='TagSet']/*[local-name()='Tag']")!)
            {
                var k = tag.SelectSingleNode("*[local-name()='Key']")?.InnerText ?? "";
                var v = tag.SelectSingleNode("*[local-name()='Value']")?.InnerText ?? "";
                pairs.Add(Uri.EscapeDataString(k) + "=" + Uri.EscapeDataString(v));
            }
        }
        return string.Join('&', pairs);
    }

    /// <summary>
    /// The answer to a stored POST: a 303 to success_action_redirect (bucket, key and etag added to its query), else the
    /// success_action_status: 200 or 204 (the default) empty, 201 with a PostResponse document. Headers as PutObject's.
    /// </summary>
    private static AwsResponse PostResponse(RequestContext ctx, S3PostForm form, string bucket, string key, Dictionary<string, object?> output)
    {
        var response = new AwsResponse { StatusCode = 204 };
        RestBindings.WriteHeaders(ctx.Model.FindOperation("PutObject")!.Output!, output, response.Headers);
        var etag = output.GetString("ETag") ?? "";
        var location = ObjectUrl(ctx.Request, bucket, key);
        response.Headers.Set("Location", location);
        var redirect = form.Get("success_action_redirect") ?? form.Get("redirect");
        if (redirect is not null && Uri.TryCreate(redirect, UriKind.Absolute, out var target) && target.Scheme is "http" or "https")
        {
            response.StatusCode = 303;
            var query = $"bucket={FormEncode(bucket)}&key={FormEncode(key)}&etag={FormEncode(etag)}";
            response.Headers.Set("Location", redirect + (redirect.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query);
            return response;
        }
        switch (form.Get("success_action_status"))
        {
            case "200":
                response.StatusCode = 200;
                break;
            case "201":
                response.StatusCode = 201;
                response.ContentType = "application/xml";
                response.Body = Encoding.UTF8.GetBytes(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse>"
                    + $"<Location>{SecurityElement.Escape(location)}</Location><Bucket>{SecurityElement.Escape(bucket)}</Bucket>"
                    + $"<Key>{SecurityElement.Escape(key)}</Key><ETag>{SecurityElement.Escape(etag)}</ETag></PostResponse>");
                break;
        }
        return response;
    }

    private static string FormEncode(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);

    /// <summary>The object's URL as the client addressed the bucket (virtual-hosted or path style), the key fully percent-encoded.</summary>
    private static string ObjectUrl(AwsRequest request, string bucket, string key)
    {
        var scheme = request.Headers.Get("X-Forwarded-Proto") ?? "http";
        var virtualHosted = S3Addressing.BucketFromHost(request.Host) is not null;
        return $"{scheme}://{request.Host}/{(virtualHosted ? "" : Uri.EscapeDataString(bucket) + "/")}{Uri.EscapeDataString(key)}";
    }

    /// <summary>The file part, refused as it streams once it passes the policy's content-length-range maximum, and at its end when under the minimum.</summary>
    private sealed class SizeLimitedStream(Stream inner, (long Min, long Max)? range) : ReadOnlyStream
    {
        private long _size;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            _size += n;
            if (range is not { } r) return n;
            if (_size > r.Max)
            {
                // The whole proposed size is reported; the rest of the file is counted, not stored.
                var rest = new byte[64 * 1024];
                int more;
                while ((more = await inner.ReadAsync(rest, cancellationToken).ConfigureAwait(false)) > 0) _size += more;
                throw SizeError("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", "MaxSizeAllowed", r.Max);
            }
            if (n == 0 && _size < r.Min)
                throw SizeError("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size", "MinSizeAllowed", r.Min);
            return n;
        }

        private AwsException SizeError(string code, string message, string limitName, long limit)
        {
            var error = new AwsException(code, message, 400);
            error.Fields["ProposedSize"] = _size.ToString(CultureInfo.InvariantCulture);
            error.Fields[limitName] = limit.ToString(CultureInfo.InvariantCulture);
            return error;
        }
    }
}
