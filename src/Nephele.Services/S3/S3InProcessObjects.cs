using Nephele.Core.Auth;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.S3;

public sealed partial class S3Provider
{
    /// <summary>
    /// How other services write, list and read S3 objects in process (DynamoDB's table exports and imports). Every call
    /// goes through S3's own handlers — PutObject, ListObjectsV2, GetObject — as the given account's root, so bucket
    /// encryption, versioning, object ownership checks and event notifications apply exactly as to a client's request;
    /// errors are the AwsException S3 itself answers, for the caller to report. Its provider instance is never
    /// registered with the gateway, so it runs no timers of its own.
    /// </summary>
    public sealed class InProcessObjects(ServiceEnvironment env)
    {
        private readonly S3Provider _s3 = new(env);

        /// <summary>Stores <paramref name="body"/> as PutObject would; returns the new object's ETag.</summary>
        public async Task<string> PutAsync(Scope caller, string bucket, string key, byte[] body, string? expectedOwner = null,
            string? sseAlgorithm = null, string? kmsKeyId = null, CancellationToken ct = default)
        {
            var ctx = Context(caller, "PutObject", ct);
            var input = new Dictionary<string, object?>
            {
                ["Bucket"] = bucket,
                ["Key"] = key,
                ["Body"] = new MemoryStream(body, writable: false),
                ["ContentLength"] = (long)body.Length,
            };
            if (expectedOwner is not null) input["ExpectedBucketOwner"] = expectedOwner;
            if (sseAlgorithm is not null) input["ServerSideEncryption"] = sseAlgorithm;
            if (kmsKeyId is not null) input["SSEKMSKeyId"] = kmsKeyId;
            // Through the notification scope, so the bucket's event notifications fire as for a client's PutObject.
            var output = await _s3.WithNotifications(ctx, "ObjectCreated:Put", bucket, () => _s3.PutObject(ctx, input));
            return output.GetString("ETag") ?? "";
        }

        /// <summary>The keys and sizes of the current objects under <paramref name="prefix"/>, in key order, every page.</summary>
        public List<(string Key, long Size)> List(Scope caller, string bucket, string prefix, string? expectedOwner = null, CancellationToken ct = default)
        {
            var ctx = Context(caller, "ListObjectsV2", ct);
            var result = new List<(string, long)>();
            string? token = null;
            do
            {
                var input = new Dictionary<string, object?> { ["Bucket"] = bucket, ["Prefix"] = prefix };
                if (token is not null) input["ContinuationToken"] = token;
                if (expectedOwner is not null) input["ExpectedBucketOwner"] = expectedOwner;
                var page = _s3.ListObjectsV2(ctx, input);
                foreach (var o in page.GetList("Contents") ?? [])
                {
                    var entry = (Dictionary<string, object?>)o!;
                    result.Add((entry.RequireString("Key"), entry.GetLong("Size") ?? 0));
                }
                token = page.GetBool("IsTruncated") == true ? page.GetString("NextContinuationToken") : null;
            }
            while (token is not null);
            return result;
        }

        /// <summary>The whole current object, as GetObject returns it.</summary>
        public async Task<byte[]> ReadAsync(Scope caller, string bucket, string key, string? expectedOwner = null, CancellationToken ct = default)
        {
            var ctx = Context(caller, "GetObject", ct);
            var input = new Dictionary<string, object?> { ["Bucket"] = bucket, ["Key"] = key };
            if (expectedOwner is not null) input["ExpectedBucketOwner"] = expectedOwner;
            var output = await _s3.GetObject(ctx, input);
            await using var body = output.GetValueOrDefault("Body") as Stream ?? Stream.Null;
            using var copy = new MemoryStream();
            await body.CopyToAsync(copy, ct);
            return copy.ToArray();
        }

        private RequestContext Context(Scope caller, string operation, CancellationToken ct)
        {
            var catalog = env.Models ?? throw AwsException.InternalFailure();
            var model = catalog.Get(catalog.Index.Find("s3")!);
            return new RequestContext
            {
                RequestId = Guid.NewGuid().ToString(),
                Service = "s3",
                Model = model,
                Operation = model.FindOperation(operation)!,
                Request = new AwsRequest { Method = operation == "PutObject" ? "PUT" : "GET", Host = "s3.amazonaws.com", Path = "/", SourceIp = "127.0.0.1" },
                Caller = CallerIdentity.Root(caller.AccountId, caller.AccountId),
                Region = caller.Region,
                Clock = env.Clock,
                Aborted = ct,
            };
        }
    }
}
