using System.IO.Compression;
using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Services.S3;

namespace Nephele.Services.Lambda;

/// <summary>Where a .zip package comes from: inline (ZipFile) or Nephele's own S3 (S3Bucket/S3Key/S3ObjectVersion).</summary>
public sealed partial class LambdaProvider
{
    /// <summary>AWS's limit for inline uploads; packages from S3 may be larger (up to 250 MB unzipped).</summary>
    private const long MaxInlineZipBytes = 50 * 1024 * 1024;
    private const long MaxS3ZipBytes = 250 * 1024 * 1024;

    private S3ObjectReader? _s3;

    /// <summary>The package's bytes, checked to be a readable .zip.</summary>
    private async Task<byte[]> ReadPackageAsync(RequestContext ctx, Dictionary<string, object?> code)
    {
        byte[] zip;
        var bucket = code.GetString("S3Bucket");
        var key = code.GetString("S3Key");
        if (bucket is not null || key is not null)
        {
            if (code.GetBlob("ZipFile") is not null)
                throw LambdaErrors.InvalidParameter("Please don't provide both S3 location and ZipFile for function code.");
            if (bucket is null || key is null)
                throw LambdaErrors.InvalidParameter("Please provide a source for function code.");
            zip = await ReadFromS3Async(ctx, bucket, key, code.GetString("S3ObjectVersion"));
        }
        else
        {
            zip = code.GetBlob("ZipFile") ?? throw LambdaErrors.InvalidParameter("Please provide a source for function code.");
            if (zip.Length > MaxInlineZipBytes)
                throw new AwsException("RequestEntityTooLargeException", $"Zipped size must be smaller than {MaxInlineZipBytes} bytes", 413);
        }
        try
        {
            using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
            _ = archive.Entries.Count;
        }
        catch (InvalidDataException)
        {
            throw LambdaErrors.InvalidParameter("Could not unzip uploaded file. Please check your file, then try to upload again.");
        }
        return zip;
    }

    private async Task<byte[]> ReadFromS3Async(RequestContext ctx, string bucket, string key, string? version)
    {
        _s3 ??= new S3ObjectReader(_env);
        // Lambda reads packages only from buckets in the function's own region.
        if (_s3.BucketRegion(bucket) is { } region && region != ctx.Scope.Region)
            throw S3Failure("PermanentRedirect", $"The bucket is in this region: {region}. Please use this region to retry the request");
        try
        {
            return await _s3.ReadAllAsync(bucket, key, version, MaxS3ZipBytes, ctx.Aborted);
        }
        catch (AwsException e)
        {
            throw S3Failure(e.Code, e.Message);
        }
    }

    private static AwsException S3Failure(string code, string message) =>
        LambdaErrors.InvalidParameter($"Error occurred while GetObject. S3 Error Code: {code}. S3 Error Message: {message}");
}
