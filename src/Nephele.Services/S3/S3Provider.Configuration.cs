using Nephele.Core.Gateway;

namespace Nephele.Services.S3;

public sealed partial class S3Provider
{
    private static void RegisterBucketConfiguration(OperationRegistry operations)
    {
        // Bucket configuration documents (tagging, CORS, lifecycle, policy, ACL, ...) register here.
    }
}
