"""S3 encryption at rest (SSE-KMS, bucket default encryption), browser POST uploads and the website endpoint through boto3."""
import http.client
import json
import urllib.parse
import uuid

import requests
from botocore.exceptions import ClientError


def _bucket(c):
    name = f"compat-{uuid.uuid4().hex[:12]}"
    c.boto3("s3").create_bucket(Bucket=name)
    return name


def boto3_sse_kms_default_encryption_and_a_disabled_key(c):
    s3, kms = c.boto3("s3"), c.boto3("kms")
    bucket = _bucket(c)
    key = kms.create_key(Description="compat s3")["KeyMetadata"]
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key["KeyId"]},
        "BucketKeyEnabled": True}]})
    put = s3.put_object(Bucket=bucket, Key="secret.txt", Body=b"at rest")
    assert put["ServerSideEncryption"] == "aws:kms" and put["SSEKMSKeyId"] == key["Arn"], put
    assert put["BucketKeyEnabled"] is True, put
    got = s3.get_object(Bucket=bucket, Key="secret.txt", Range="bytes=3-6")
    assert got["Body"].read() == b"rest" and got["SSEKMSKeyId"] == key["Arn"], got
    kms.disable_key(KeyId=key["KeyId"])
    try:
        s3.get_object(Bucket=bucket, Key="secret.txt")
        raise AssertionError("GET with a disabled KMS key succeeded")
    except ClientError as e:
        assert e.response["Error"]["Code"] == "KMS.DisabledException", e.response
    kms.enable_key(KeyId=key["KeyId"])
    assert s3.get_object(Bucket=bucket, Key="secret.txt")["Body"].read() == b"at rest"


def boto3_presigned_post_uploads_a_file_with_requests(c):
    s3 = c.boto3("s3")
    bucket = _bucket(c)
    post = s3.generate_presigned_post(bucket, "uploads/${filename}", Fields={"Content-Type": "text/plain"},
                                      Conditions=[{"Content-Type": "text/plain"}, ["content-length-range", 1, 100]],
                                      ExpiresIn=365 * 86400)  # expires on Nephele's clock, which other scenarios move
    ok = requests.post(post["url"], data=post["fields"], files={"file": ("note.txt", b"posted")}, timeout=30)
    assert ok.status_code == 204, ok.text
    got = s3.get_object(Bucket=bucket, Key="uploads/note.txt")
    assert got["Body"].read() == b"posted" and got["ContentType"] == "text/plain", got
    too_big = requests.post(post["url"], data=post["fields"], files={"file": ("big.txt", b"x" * 101)}, timeout=30)
    assert too_big.status_code == 400 and "<Code>EntityTooLarge</Code>" in too_big.text, too_big.text


def boto3_website_endpoint_serves_index_and_error_documents(c):
    s3 = c.boto3("s3")
    bucket = _bucket(c)
    # The website endpoint serves only what everyone may read: a private bucket answers 403.
    s3.put_bucket_website(Bucket=bucket, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}})
    s3.put_object(Bucket=bucket, Key="index.html", Body=b"<h1>home</h1>", ContentType="text/html")
    endpoint = urllib.parse.urlparse(c.endpoint)

    def get(path):
        conn = http.client.HTTPConnection(endpoint.hostname, endpoint.port, timeout=30)
        conn.request("GET", path, headers={"Host": f"{bucket}.s3-website.us-east-1.localhost:{endpoint.port}"})
        response = conn.getresponse()
        return response.status, response.read()

    status, page = get("/")
    assert status == 403 and b"<li>Code: AccessDenied</li>" in page, (status, page)
    s3.delete_public_access_block(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"},
        {"Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}"}]}))
    s3.put_bucket_website(Bucket=bucket, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"},
                                                               "ErrorDocument": {"Key": "404.html"}})
    s3.put_object(Bucket=bucket, Key="index.html", Body=b"<h1>home</h1>", ContentType="text/html")
    s3.put_object(Bucket=bucket, Key="404.html", Body=b"not here", ContentType="text/html")

    assert get("/") == (200, b"<h1>home</h1>")
    assert get("/missing.html") == (404, b"not here")


S3_CRYPTO_SCENARIOS = [(f.__name__, f) for f in [
    boto3_sse_kms_default_encryption_and_a_disabled_key,
    boto3_presigned_post_uploads_a_file_with_requests,
    boto3_website_endpoint_serves_index_and_error_documents,
]]
