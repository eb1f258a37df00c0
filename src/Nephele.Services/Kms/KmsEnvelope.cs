using Nephele.Core.Gateway;
using Nephele.Core.Protocols;
using Nephele.Core.State;

namespace Nephele.Services.Kms;

/// <summary>
/// Encryption at rest for other services (SSM SecureString, Secrets Manager, ...): seals and opens values under a KMS
/// key exactly as KMS Encrypt/Decrypt would, so the stored blob is a real KMS ciphertext. Errors are KMS's own
/// (NotFoundException, DisabledException, KMSInvalidStateException, InvalidCiphertextException, ...); callers translate
/// them into their service's error. With <c>onBehalfOf</c>, the use is authorized under --enforce-iam as the request's
/// caller would be by KMS itself (key policy, grants, IAM policies) with kms:ViaService naming the calling service
/// (AccessDeniedException when refused).
/// </summary>
public sealed class KmsEnvelope(ServiceEnvironment env)
{
    private readonly KeyRing _ring = new(new KeyStore(env.State, env.Clock));

    /// <summary>Encrypts under <paramref name="keyId"/> (key id, key ARN, alias name or alias ARN), or, when null, the
    /// AWS managed key of <paramref name="service"/> (alias/aws/&lt;service&gt;, created on first use).</summary>
    public (string KeyArn, byte[] CiphertextBlob) Encrypt(Scope scope, string? keyId, string service, byte[] plaintext, Dictionary<string, string> context,
        RequestContext? onBehalfOf = null, string operation = "Encrypt")
    {
        var key = KeyRing.Usable(keyId is null ? _ring.ManagedKey(scope, service) : _ring.Resolve(scope, keyId));
        Authorize(onBehalfOf, scope, key, operation, context, service);
        return (key.Arn, KeyRing.Seal(key, plaintext, context));
    }

    /// <summary>Decrypts a blob made by <see cref="Encrypt"/> (or by KMS Encrypt) under the key it names.</summary>
    public (string KeyArn, byte[] Plaintext) Decrypt(Scope scope, byte[] blob, Dictionary<string, string> context,
        RequestContext? onBehalfOf = null, string? service = null)
    {
        var (key, plaintext) = _ring.Open(scope, blob, null, context);
        Authorize(onBehalfOf, scope, key, "Decrypt", context, service);
        return (key.Arn, plaintext);
    }

    private void Authorize(RequestContext? request, Scope keyScope, KeyRecord key, string operation, Dictionary<string, string> context, string? service)
    {
        // Without enforcement (or for root credentials) nothing is evaluated: skip reading the key's grants.
        if (request?.Authorizer is not { } authorizer || !authorizer.Evaluates(request)) return;
        var target = KeyAuthorization.Target(_ring.Store, keyScope, key, request.Caller, operation, context,
            service is null ? null : $"{service}.{request.Region}.amazonaws.com");
        if (!authorizer.Allows(request, "kms:" + operation, target))
            throw new AwsException("AccessDeniedException",
                $"User: {request.Caller.Arn} is not authorized to perform: kms:{operation} on resource: {key.Arn} because no resource-based policy allows the kms:{operation} action");
    }
}
