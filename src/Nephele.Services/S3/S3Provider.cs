using Nephele.Core.Gateway;

namespace Nephele.Services.S3;

/// <summary>
/// S3: buckets in one global name space, objects as blob files on disk, and each bucket's configuration
/// documents. Handlers are split by resource into partial files; each file registers its own operations.
/// </summary>
public sealed partial class S3Provider(ServiceEnvironment env) : IAwsProvider
{
    private readonly BucketStore _buckets = new(env.State);
    private readonly ObjectStore _objects = new(env.State, env.Clock);

    public string ServiceName => "s3";

    public void Register(OperationRegistry operations)
    {
        RegisterBuckets(operations);
        RegisterObjects(operations);
        RegisterBucketConfiguration(operations);
        // Last: these wrap the handlers registered above.
        RegisterNotifications(operations);
        RegisterLifecycleExecution(operations);
        RegisterAccessLogs(operations);
        RegisterWebsiteEndpoint();
    }
}
