using System.Security.Cryptography;

namespace Nephele.Core.Auth;

/// <summary>Identifiers in AWS's shapes: access key ids (AKIA/ASIA + 16), secrets (40), unique ids (AROA/AIDA + 17).</summary>
public static class AccessKeys
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string Secret = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// <summary>"ASIA" for temporary credentials, "AKIA" for long-term keys.</summary>
    public static string NewAccessKeyId(string prefix) => prefix + RandomNumberGenerator.GetString(Upper, 16);

    public static string NewSecretAccessKey() => RandomNumberGenerator.GetString(Secret, 40);

    /// <summary>A unique id such as a role's "AROA..." or a user's "AIDA...".</summary>
    public static string NewUniqueId(string prefix) => prefix + RandomNumberGenerator.GetString(Upper, 17);

    public static string NewSessionToken() =>
        "IQoJb3JpZ2luX2VjE" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(264));
}
