using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Nephele.Core.Protocols;

namespace Nephele.Services.Iam;

/// <summary>PEM certificates and private keys checked like IAM does for server and signing certificates.</summary>
internal static class Certificates
{
    public static AwsException Malformed(string message) => new("MalformedCertificate", message, 400);

    public static X509Certificate2 Parse(string pem, string message)
    {
        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw Malformed(message);
        }
    }

    /// <summary>Every certificate of a PEM chain must parse.</summary>
    public static void CheckChain(string chain)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(chain);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw Malformed("Unable to parse certificate. Please ensure the certificate is in PEM format.");
        }
        if (collection.Count == 0) throw Malformed("Unable to parse certificate. Please ensure the certificate is in PEM format.");
    }

    /// <summary>The private key must parse (RSA or EC) and be the key of the certificate.</summary>
    public static void CheckKeyPair(X509Certificate2 certificate, string privateKeyPem)
    {
        bool matches;
        try
        {
            if (certificate.GetRSAPublicKey() is { } rsaPublic)
            {
                using var key = RSA.Create();
                key.ImportFromPem(privateKeyPem);
                matches = key.ExportParameters(false).Modulus!.AsSpan().SequenceEqual(rsaPublic.ExportParameters(false).Modulus);
            }
            else if (certificate.GetECDsaPublicKey() is { } ecPublic)
            {
                using var key = ECDsa.Create();
                key.ImportFromPem(privateKeyPem);
                matches = key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(ecPublic.ExportSubjectPublicKeyInfo());
            }
            else throw Malformed("Unable to parse certificate. Please ensure the certificate is in PEM format.");
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw Malformed("Unable to parse private key.");
        }
        if (!matches) throw new AwsException("KeyPairMismatch", "Public key certificate and private key doesn't match", 400);
    }
}
