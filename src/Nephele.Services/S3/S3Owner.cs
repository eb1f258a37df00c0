using System.Security.Cryptography;
using System.Text;

namespace Nephele.Services.S3;

/// <summary>The canonical user of an account: S3 names owners and grantees by a 64-hex-digit id.</summary>
internal static class S3Owner
{
    public static string CanonicalId(string account) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes("nephele-s3-owner:" + account)));

    public static Dictionary<string, object?> Of(string account) => new() { ["ID"] = CanonicalId(account), ["DisplayName"] = "webfile" };
}
