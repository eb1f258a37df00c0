using System.Security.Cryptography;
using System.Text;

namespace Nephele.Services.Kms;

/// <summary>
/// Versions of a symmetric key's material. Version 0 is the material generated at CreateKey; version n is derived from
/// it with HKDF, so a rotation stores only its date and every Nephele computing a version gets the same bytes.
/// </summary>
internal static class KeyMaterial
{
    public static byte[] Version(KeyRecord key, int version) => version == 0
        ? key.Material
        : HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Material, 32, salt: [], info: Encoding.ASCII.GetBytes($"nephele-kms-rotation-{version}"));

    /// <summary>AWS's KeyMaterialId: 64 hex digits naming one version without revealing it.</summary>
    public static string Id(KeyRecord key, int version) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Version(key, version), Encoding.ASCII.GetBytes("nephele-kms-key-material-id")));
}
