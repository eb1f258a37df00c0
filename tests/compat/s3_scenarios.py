"""S3 objects through boto3, `aws s3` and `aws s3api`."""
import hashlib
import os
import subprocess
import tempfile
import uuid


def _aws_s3(c, *args):
    """`aws s3 ...` prints progress text, not JSON: run it and only check that it succeeded."""
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", AWS_DEFAULT_REGION="us-east-1",
               AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")
    env.pop("AWS_SESSION_TOKEN", None)
    env.pop("AWS_PROFILE", None)
    result = subprocess.run(["aws", "--endpoint-url", c.endpoint, "s3", *args], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"aws s3 {' '.join(args)} failed: {result.stderr}"
    return result.stdout


def _bucket(c):
    name = f"compat-{uuid.uuid4().hex[:12]}"
    c.boto3("s3").create_bucket(Bucket=name)
    return name


def boto3_put_get_head_with_metadata_and_ranges(c):
    s3 = c.boto3("s3")
    bucket = _bucket(c)
    put = s3.put_object(Bucket=bucket, Key="dir/hello.txt", Body=b"hello world", ContentType="text/plain",
                        Metadata={"color": "blue"})
    assert put["ETag"] == '"%s"' % hashlib.md5(b"hello world").hexdigest(), put
    got = s3.get_object(Bucket=bucket, Key="dir/hello.txt")
    assert got["Body"].read() == b"hello world"
    assert got["Metadata"] == {"color": "blue"} and got["ContentType"] == "text/plain", got
    part = s3.get_object(Bucket=bucket, Key="dir/hello.txt", Range="bytes=-5")
    assert part["Body"].read() == b"world" and part["ContentRange"] == "bytes 6-10/11", part
    head = s3.head_object(Bucket=bucket, Key="dir/hello.txt")
    assert head["ContentLength"] == 11, head


def boto3_missing_key_and_precondition_errors(c):
    import botocore.exceptions
    s3 = c.boto3("s3")
    bucket = _bucket(c)
    s3.put_object(Bucket=bucket, Key="k", Body=b"v")
    for call, code in [(lambda: s3.get_object(Bucket=bucket, Key="missing"), "NoSuchKey"),
                       (lambda: s3.get_object(Bucket=bucket, Key="k", IfMatch='"nope"'), "PreconditionFailed"),
                       (lambda: s3.put_object(Bucket=bucket, Key="k", Body=b"x", IfNoneMatch="*"), "PreconditionFailed"),
                       (lambda: s3.delete_bucket(Bucket=bucket), "BucketNotEmpty")]:
        try:
            call()
        except botocore.exceptions.ClientError as e:
            assert e.response["Error"]["Code"] == code, e.response
            continue
        raise AssertionError(f"expected {code}")


def boto3_list_objects_v2_paginates_with_prefixes(c):
    s3 = c.boto3("s3")
    bucket = _bucket(c)
    keys = [f"logs/{i:03d}.txt" for i in range(12)] + ["a.txt", "photos/x.jpg"]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=k.encode())
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, PaginationConfig={"PageSize": 5})
    listed = [o["Key"] for p in pages for o in p.get("Contents", [])]
    assert listed == sorted(keys), listed
    top = s3.list_objects_v2(Bucket=bucket, Delimiter="/")
    assert [p["Prefix"] for p in top["CommonPrefixes"]] == ["logs/", "photos/"], top
    assert [o["Key"] for o in top["Contents"]] == ["a.txt"], top
    v1 = list(s3.get_paginator("list_objects").paginate(Bucket=bucket, PaginationConfig={"PageSize": 4}))
    assert [o["Key"] for p in v1 for o in p.get("Contents", [])] == sorted(keys)


def boto3_multipart_upload_and_versions(c):
    s3 = c.boto3("s3")
    bucket = _bucket(c)
    data = os.urandom(6 * 1024 * 1024)
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp")
    p1 = s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload["UploadId"], PartNumber=1, Body=data[:5 * 1024 * 1024])
    p2 = s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload["UploadId"], PartNumber=2, Body=data[5 * 1024 * 1024:])
    done = s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload["UploadId"], MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": p1["ETag"]}, {"PartNumber": 2, "ETag": p2["ETag"]}]})
    assert done["ETag"].endswith('-2"'), done
    assert s3.get_object(Bucket=bucket, Key="mp")["Body"].read() == data

    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    v1 = s3.put_object(Bucket=bucket, Key="doc", Body=b"one")["VersionId"]
    s3.put_object(Bucket=bucket, Key="doc", Body=b"two")
    marker = s3.delete_object(Bucket=bucket, Key="doc")
    assert marker["DeleteMarker"] is True, marker
    versions = s3.list_object_versions(Bucket=bucket, Prefix="doc")
    assert len(versions["Versions"]) == 2 and len(versions["DeleteMarkers"]) == 1, versions
    assert versions["DeleteMarkers"][0]["IsLatest"] is True
    assert s3.get_object(Bucket=bucket, Key="doc", VersionId=v1)["Body"].read() == b"one"


def cli_s3_cp_and_sync_a_tree(c):
    bucket = _bucket(c)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "src")
        os.makedirs(os.path.join(src, "sub", "deeper"))
        files = {"a.txt": b"alpha", "sub/b.txt": b"beta", "sub/deeper/c.bin": os.urandom(9 * 1024 * 1024)}
        for rel, data in files.items():
            with open(os.path.join(src, rel), "wb") as f:
                f.write(data)
        _aws_s3(c, "sync", src, f"s3://{bucket}/tree")
        listed = c.cli("s3api", "list-objects-v2", "--bucket", bucket)
        assert sorted(o["Key"] for o in listed["Contents"]) == sorted(f"tree/{k}" for k in files), listed
        # A second sync finds nothing to do and a download brings the same bytes back.
        again = _aws_s3(c, "sync", src, f"s3://{bucket}/tree")
        assert again.strip() == "", again
        out = os.path.join(tmp, "out")
        _aws_s3(c, "cp", "--recursive", f"s3://{bucket}/tree", out)
        for rel, data in files.items():
            with open(os.path.join(out, rel), "rb") as f:
                assert f.read() == data, rel
        _aws_s3(c, "rm", "--recursive", f"s3://{bucket}/tree")
        assert "Contents" not in c.cli("s3api", "list-objects-v2", "--bucket", bucket)


def cli_s3api_copy_object_and_tagging(c):
    bucket = _bucket(c)
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(b"payload")
    try:
        c.cli("s3api", "put-object", "--bucket", bucket, "--key", "src", "--body", f.name, "--tagging", "env=dev")
    finally:
        os.unlink(f.name)
    c.cli("s3api", "copy-object", "--bucket", bucket, "--key", "dst", "--copy-source", f"{bucket}/src")
    tags = c.cli("s3api", "get-object-tagging", "--bucket", bucket, "--key", "dst")
    assert tags["TagSet"] == [{"Key": "env", "Value": "dev"}], tags
    head = c.cli("s3api", "head-object", "--bucket", bucket, "--key", "dst")
    assert head["ContentLength"] == 7, head


S3_SCENARIOS = [(f.__name__, f) for f in [
    boto3_put_get_head_with_metadata_and_ranges,
    boto3_missing_key_and_precondition_errors,
    boto3_list_objects_v2_paginates_with_prefixes,
    boto3_multipart_upload_and_versions,
    cli_s3_cp_and_sync_a_tree,
    cli_s3api_copy_object_and_tagging,
]]
