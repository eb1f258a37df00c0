using Nephele.Core.Gateway;
using Nephele.Core.Protocols;

namespace Nephele.Services.S3;

/// <summary>
/// Bucket configuration documents. Most are one document per bucket that Put validates and stores as sent,
/// Get returns as stored and Delete removes (<see cref="RegisterDocument"/>); the topic files add their
/// validation and the documents with defaults or side effects (ACL, encryption, ownership, policy).
/// </summary>
public sealed partial class S3Provider
{
    private readonly BucketConfigStore _configs = new(env.State);

    private void RegisterBucketConfiguration(OperationRegistry operations)
    {
        RegisterTaggingAndDelivery(operations);
        RegisterCors(operations);
        RegisterLifecycle(operations);
        RegisterPolicy(operations);
        RegisterAccessControl(operations);
        RegisterEncryptionAndLock(operations);
        RegisterConfigurationsById(operations);
    }

    /// <summary>
    /// One document per bucket: <paramref name="put"/> validates the request's payload and stores it,
    /// <paramref name="get"/> returns it or <paramref name="absent"/>, <paramref name="delete"/> removes it.
    /// </summary>
    private void RegisterDocument(OperationRegistry operations, string name, string put, string get, string? delete,
        Func<AwsException>? absent, Action<RequestContext, BucketRecord, Dictionary<string, object?>>? validate = null)
    {
        operations.On(put, (ctx, input) =>
        {
            var bucket = RequireBucket(ctx, input);
            var document = Payload(ctx, input);
            validate?.Invoke(ctx, bucket, document);
            _configs.Put(bucket.Name, name, document);
            return [];
        });
        operations.On(get, (ctx, input) =>
        {
            var bucket = RequireBucket(ctx, input);
            var document = _configs.Get(bucket.Name, name);
            // Documents without an "absent" error (logging, accelerate) answer an empty one.
            if (document is null && absent is not null) throw absent();
            return Output(ctx, document ?? []);
        });
        if (delete is not null)
            operations.On(delete, (ctx, input) =>
            {
                _configs.Delete(RequireBucket(ctx, input).Name, name);
                return [];
            });
    }

    /// <summary>The operation's payload structure; a Put without a document is malformed.</summary>
    private static Dictionary<string, object?> Payload(RequestContext ctx, Dictionary<string, object?> input) =>
        input.GetStruct(ctx.Operation.Input!.Payload!) ?? throw S3ConfigErrors.MalformedXml();

    /// <summary>A stored document as the Get operation's output: its payload member, or the output's own members.</summary>
    private static Dictionary<string, object?> Output(RequestContext ctx, Dictionary<string, object?> document) =>
        ctx.Operation.Output?.Payload is { } payload ? new() { [payload] = document } : document;

    /// <summary>The bucket's lifecycle rules as stored (LifecycleRule structures), or null without a lifecycle configuration.</summary>
    internal List<Dictionary<string, object?>>? LifecycleRules(string bucket) =>
        _configs.Get(bucket, LifecycleConfigName)?.GetList("Rules")?.OfType<Dictionary<string, object?>>().ToList();

    /// <summary>The bucket's default encryption rule (ApplyServerSideEncryptionByDefault, BucketKeyEnabled): SSE-S3 unless configured.</summary>
    internal Dictionary<string, object?> DefaultEncryptionRule(string bucket) =>
        (_configs.Get(bucket, EncryptionConfigName) ?? DefaultEncryption()).GetList("Rules")?.OfType<Dictionary<string, object?>>().FirstOrDefault()
        ?? [];

    /// <summary>The bucket's default object lock retention (Mode and Days or Years), or null.</summary>
    internal Dictionary<string, object?>? DefaultRetention(string bucket) =>
        _configs.Get(bucket, ObjectLockConfigName)?.GetStruct("Rule")?.GetStruct("DefaultRetention");

    /// <summary>The bucket's notification configuration as stored, or null.</summary>
    internal Dictionary<string, object?>? NotificationConfiguration(string bucket) => _configs.Get(bucket, NotificationConfigName);

    /// <summary>The bucket's logging target (TargetBucket, TargetPrefix, ...), or null when logging is off.</summary>
    internal Dictionary<string, object?>? LoggingTarget(string bucket) => _configs.Get(bucket, LoggingConfigName)?.GetStruct("LoggingEnabled");

    /// <summary>The bucket's website configuration, or null.</summary>
    internal Dictionary<string, object?>? WebsiteConfiguration(string bucket) => _configs.Get(bucket, WebsiteConfigName);
}
