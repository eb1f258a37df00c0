"""KMS keys, signatures, MACs and encryption through boto3 and the AWS CLI; signatures checked locally with cryptography."""
import base64
import hashlib


def _raises(code, call, *args, **kwargs):
    import botocore.exceptions
    try:
        call(*args, **kwargs)
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == code, e.response
        return e
    raise AssertionError(f"expected {code}")


def boto3_rsa_sign_verifies_locally_with_the_public_key(c):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding
    kms = c.boto3("kms")
    key = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    assert "RSASSA_PSS_SHA_256" in key["SigningAlgorithms"], key
    signed = kms.sign(KeyId=key["KeyId"], Message=b"compat message", SigningAlgorithm="RSASSA_PSS_SHA_256")
    public = serialization.load_der_public_key(kms.get_public_key(KeyId=key["KeyId"])["PublicKey"])
    public.verify(signed["Signature"], b"compat message",
                  padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256())
    assert kms.verify(KeyId=key["KeyId"], Message=b"compat message", Signature=signed["Signature"],
                      SigningAlgorithm="RSASSA_PSS_SHA_256")["SignatureValid"]
    _raises("KMSInvalidSignatureException", kms.verify, KeyId=key["KeyId"], Message=b"other",
            Signature=signed["Signature"], SigningAlgorithm="RSASSA_PSS_SHA_256")


def boto3_ecdsa_digest_signature_is_der_and_verifies_locally(c):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    kms = c.boto3("kms")
    key_id = kms.create_key(KeySpec="ECC_NIST_P384", KeyUsage="SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    digest = hashlib.sha384(b"payload").digest()
    signature = kms.sign(KeyId=key_id, Message=digest, MessageType="DIGEST", SigningAlgorithm="ECDSA_SHA_384")["Signature"]
    public = serialization.load_der_public_key(kms.get_public_key(KeyId=key_id)["PublicKey"])
    public.verify(signature, b"payload", ec.ECDSA(hashes.SHA384()))


def boto3_rsa_encrypt_round_trips_with_local_oaep(c):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding
    kms = c.boto3("kms")
    key_id = kms.create_key(KeySpec="RSA_3072", KeyUsage="ENCRYPT_DECRYPT")["KeyMetadata"]["KeyId"]
    public = serialization.load_der_public_key(kms.get_public_key(KeyId=key_id)["PublicKey"])
    local = public.encrypt(b"sealed locally", padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))
    out = kms.decrypt(KeyId=key_id, CiphertextBlob=local, EncryptionAlgorithm="RSAES_OAEP_SHA_256")
    assert out["Plaintext"] == b"sealed locally", out
    _raises("InvalidKeyUsageException", kms.encrypt, KeyId=key_id, Plaintext=b"x")


def boto3_hmac_generate_and_verify(c):
    import hmac
    kms = c.boto3("kms")
    key_id = kms.create_key(KeySpec="HMAC_224", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]["KeyId"]
    mac = kms.generate_mac(KeyId=key_id, Message=b"m", MacAlgorithm="HMAC_SHA_224")["Mac"]
    assert len(mac) == 28 and not hmac.compare_digest(mac, b"\0" * 28)
    assert kms.verify_mac(KeyId=key_id, Message=b"m", Mac=mac, MacAlgorithm="HMAC_SHA_224")["MacValid"]
    _raises("KMSInvalidMacException", kms.verify_mac, KeyId=key_id, Message=b"n", Mac=mac, MacAlgorithm="HMAC_SHA_224")


def cli_sign_and_verify(c):
    import os
    import tempfile
    key_id = c.cli("kms", "create-key", "--key-spec", "ECC_NIST_P256", "--key-usage", "SIGN_VERIFY")["KeyMetadata"]["KeyId"]
    # fileb:// passes raw bytes the same way whichever blob format the CLI is configured with.
    with tempfile.TemporaryDirectory() as folder:
        message = os.path.join(folder, "message")
        with open(message, "wb") as f:
            f.write(b"from the cli")
        signed = c.cli("kms", "sign", "--key-id", key_id, "--message", f"fileb://{message}", "--signing-algorithm", "ECDSA_SHA_256")
        signature = os.path.join(folder, "signature")
        with open(signature, "wb") as f:
            f.write(base64.b64decode(signed["Signature"]))
        verified = c.cli("kms", "verify", "--key-id", key_id, "--message", f"fileb://{message}", "--signature", f"fileb://{signature}",
                         "--signing-algorithm", "ECDSA_SHA_256")
    assert verified["SignatureValid"] is True, verified


KMS_SCENARIOS = [(f.__name__, f) for f in [
    boto3_rsa_sign_verifies_locally_with_the_public_key,
    boto3_ecdsa_digest_signature_is_der_and_verifies_locally,
    boto3_rsa_encrypt_round_trips_with_local_oaep,
    boto3_hmac_generate_and_verify,
    cli_sign_and_verify,
]]
