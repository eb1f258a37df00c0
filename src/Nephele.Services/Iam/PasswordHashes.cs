using System.Security.Cryptography;
using System.Text;

namespace Nephele.Services.Iam;

/// <summary>Console passwords are never kept in clear: salted PBKDF2-SHA256, "salt:hash" in Base64.</summary>
internal static class PasswordHashes
{
    private const int Iterations = 10_000;

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return $"{Convert.ToBase64String(salt)}:{Convert.ToBase64String(Derive(password, salt))}";
    }

    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split(':');
        return parts.Length == 2 && CryptographicOperations.FixedTimeEquals(Derive(password, Convert.FromBase64String(parts[0])), Convert.FromBase64String(parts[1]));
    }

    private static byte[] Derive(string password, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
}
