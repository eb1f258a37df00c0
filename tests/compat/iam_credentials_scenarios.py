"""IAM credentials through boto3 and the AWS CLI: virtual MFA devices (codes computed like an authenticator app),
STS sessions signed in with MFA, SSH public keys, server certificates, access key last use, paged authorization details."""
import base64
import datetime
import hashlib
import hmac
import json
import struct
import subprocess
import tempfile
import urllib.request
import uuid


def _name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _now(c):
    with urllib.request.urlopen(f"{c.endpoint}/_nephele/clock") as response:
        now = json.load(response)["now"]
    return datetime.datetime.fromisoformat(now.replace("Z", "+00:00"))


def _totp(seed: bytes, step: int) -> str:
    digest = hmac.new(base64.b32decode(seed), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000:06d}"


def boto3_mfa_device_signs_a_session_in(c):
    iam = c.boto3("iam", key="777788889999")
    user = _name("compat-mfa")
    iam.create_user(UserName=user)
    key = iam.create_access_key(UserName=user)["AccessKey"]
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName=_name("phone"))["VirtualMFADevice"]
    assert device["QRCodePNG"][:4] == b"\x89PNG", device["QRCodePNG"][:8]
    seed, serial = device["Base32StringSeed"], device["SerialNumber"]
    step = int(_now(c).timestamp()) // 30
    iam.enable_mfa_device(UserName=user, SerialNumber=serial, AuthenticationCode1=_totp(seed, step - 1),
                          AuthenticationCode2=_totp(seed, step))
    devices = iam.list_mfa_devices(UserName=user)["MFADevices"]
    assert [d["SerialNumber"] for d in devices] == [serial], devices
    sts = c.boto3("sts", key=key["AccessKeyId"], secret=key["SecretAccessKey"])
    session = sts.get_session_token(SerialNumber=serial, TokenCode=_totp(seed, step + 1))["Credentials"]
    assert session["AccessKeyId"].startswith("ASIA"), session
    try:
        sts.get_session_token(SerialNumber=serial, TokenCode=_totp(seed, step + 1))
        raise AssertionError("a spent MFA code signed in again")
    except sts.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "AccessDenied", e.response


def boto3_access_key_last_used_names_the_service(c):
    iam = c.boto3("iam", key="777788889999")
    user = _name("compat-used")
    iam.create_user(UserName=user)
    key = iam.create_access_key(UserName=user)["AccessKey"]
    c.boto3("sqs", key=key["AccessKeyId"], secret=key["SecretAccessKey"], region="eu-west-1").list_queues()
    used = iam.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])["AccessKeyLastUsed"]
    assert (used["ServiceName"], used["Region"]) == ("sqs", "eu-west-1") and "LastUsedDate" in used, used


def boto3_authorization_details_paginate(c):
    iam = c.boto3("iam", key="121212121212")
    names = {_name("compat-gaad") for _ in range(3)}
    for name in names:
        iam.create_user(UserName=name)
    paginator = iam.get_paginator("get_account_authorization_details")
    pages = list(paginator.paginate(Filter=["User"], PaginationConfig={"PageSize": 1}))
    seen = {u["UserName"] for page in pages for u in page["UserDetailList"]}
    assert names <= seen and len(pages) >= 3, (names, seen, len(pages))


def cli_ssh_public_key_and_server_certificate(c):
    user = _name("cli-ssh")
    c.cli("iam", "create-user", "--user-name", user)
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", f"{folder}/id"], check=True)
        body = open(f"{folder}/id.pub").read()
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{folder}/key.pem",
                        "-out", f"{folder}/cert.pem", "-days", "30", "-subj", "/CN=compat.example.com"],
                       check=True, capture_output=True)
        uploaded = c.cli("iam", "upload-ssh-public-key", "--user-name", user, "--ssh-public-key-body", body)["SSHPublicKey"]
        assert uploaded["SSHPublicKeyBody"].split()[:2] == body.split()[:2], uploaded
        pem = c.cli("iam", "get-ssh-public-key", "--user-name", user, "--ssh-public-key-id", uploaded["SSHPublicKeyId"],
                    "--encoding", "PEM")["SSHPublicKey"]["SSHPublicKeyBody"]
        assert pem.startswith("-----BEGIN PUBLIC KEY-----"), pem
        name = _name("cli-cert")
        meta = c.cli("iam", "upload-server-certificate", "--server-certificate-name", name, "--path", "/compat/",
                     "--certificate-body", f"file://{folder}/cert.pem", "--private-key", f"file://{folder}/key.pem")
        assert meta["ServerCertificateMetadata"]["Arn"].endswith(f":server-certificate/compat/{name}"), meta
        listed = c.cli("iam", "list-server-certificates", "--path-prefix", "/compat/")["ServerCertificateMetadataList"]
        assert any(m["ServerCertificateName"] == name for m in listed), listed


IAM_CREDENTIALS_SCENARIOS = [(f.__name__, f) for f in [
    boto3_mfa_device_signs_a_session_in,
    boto3_access_key_last_used_names_the_service,
    boto3_authorization_details_paginate,
    cli_ssh_public_key_and_server_certificate,
]]
