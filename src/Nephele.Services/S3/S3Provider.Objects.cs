using Nephele.Core.Gateway;

namespace Nephele.Services.S3;

public sealed partial class S3Provider
{
    private static void RegisterObjects(OperationRegistry operations)
    {
        // Object operations (put/get/list/copy/multipart/versioning) register here.
    }
}
