"""S3 through s3cmd (path-style addressing), when s3cmd is installed (run.sh installs it where it can)."""
import filecmp
import hashlib
import os
import shutil
import subprocess
import tempfile
import uuid
from urllib.parse import urlparse


def _s3cmd(c, *args, expect_error=False):
    """Runs s3cmd against the endpoint with a throw-away config: path-style (host_bucket = host_base), plain HTTP."""
    host = urlparse(c.endpoint).netloc
    with tempfile.NamedTemporaryFile("w", suffix=".s3cfg", delete=False) as cfg:
        cfg.write("[default]\naccess_key = test\nsecret_key = test\nbucket_location = us-east-1\n"
                  f"host_base = {host}\nhost_bucket = {host}\nuse_https = False\nsignature_v2 = False\n")
    try:
        result = subprocess.run(["s3cmd", "-c", cfg.name, "--no-progress", *args], capture_output=True, text=True, timeout=180)
    finally:
        os.unlink(cfg.name)
    if expect_error:
        assert result.returncode != 0, f"s3cmd {' '.join(args)}: expected an error, got {result.stdout}"
        return result.stderr
    assert result.returncode == 0, f"s3cmd {' '.join(args)} failed ({result.returncode}): {result.stderr}{result.stdout}"
    return result.stdout


def _bucket():
    return f"s3cmd-{uuid.uuid4().hex[:12]}"


def s3cmd_mb_put_ls_get_del_rb(c):
    bucket = _bucket()
    _s3cmd(c, "mb", f"s3://{bucket}")
    assert bucket in _s3cmd(c, "ls")
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "hello.txt")
        with open(src, "w") as f:
            f.write("hello from s3cmd\n")
        _s3cmd(c, "put", src, f"s3://{bucket}/docs/hello.txt")
        listing = _s3cmd(c, "ls", f"s3://{bucket}/docs/")
        assert f"s3://{bucket}/docs/hello.txt" in listing, listing
        assert "DIR" in _s3cmd(c, "ls", f"s3://{bucket}"), "docs/ is listed as a directory"
        dst = os.path.join(tmp, "back.txt")
        _s3cmd(c, "get", f"s3://{bucket}/docs/hello.txt", dst)
        assert filecmp.cmp(src, dst, shallow=False)
        info = _s3cmd(c, "info", f"s3://{bucket}/docs/hello.txt")
        assert hashlib.md5(b"hello from s3cmd\n").hexdigest() in info, info
        # A non-empty bucket cannot be removed.
        assert "BucketNotEmpty" in _s3cmd(c, "rb", f"s3://{bucket}", expect_error=True)
        _s3cmd(c, "del", f"s3://{bucket}/docs/hello.txt")
        assert "hello.txt" not in _s3cmd(c, "ls", "--recursive", f"s3://{bucket}")
    _s3cmd(c, "rb", f"s3://{bucket}")
    assert bucket not in _s3cmd(c, "ls")


def s3cmd_sync_a_directory_tree_both_ways(c):
    bucket = _bucket()
    _s3cmd(c, "mb", f"s3://{bucket}")
    with tempfile.TemporaryDirectory() as tmp:
        tree = os.path.join(tmp, "site")
        files = {"index.html": "<h1>home</h1>", "css/site.css": "body{}", "img/a b.txt": "space", "deep/x/y/z.txt": "z" * 5000}
        for rel, body in files.items():
            path = os.path.join(tree, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(body)
        _s3cmd(c, "sync", tree + "/", f"s3://{bucket}/site/")
        listing = _s3cmd(c, "ls", "--recursive", f"s3://{bucket}")
        for rel in files:
            assert f"s3://{bucket}/site/{rel}" in listing, listing
        # A second sync uploads nothing (sizes and MD5s match).
        again = _s3cmd(c, "sync", tree + "/", f"s3://{bucket}/site/")
        assert "upload:" not in again, again
        # Deleting locally and syncing with --delete-removed removes the object.
        os.remove(os.path.join(tree, "css/site.css"))
        _s3cmd(c, "sync", "--delete-removed", tree + "/", f"s3://{bucket}/site/")
        assert "site.css" not in _s3cmd(c, "ls", "--recursive", f"s3://{bucket}")
        back = os.path.join(tmp, "back")
        _s3cmd(c, "sync", f"s3://{bucket}/site/", back + "/")
        for rel, body in files.items():
            if rel == "css/site.css":
                continue
            with open(os.path.join(back, rel)) as f:
                assert f.read() == body, rel
    _s3cmd(c, "del", "--recursive", "--force", f"s3://{bucket}")
    _s3cmd(c, "rb", f"s3://{bucket}")


def s3cmd_multipart_put_with_5_mb_chunks(c):
    bucket = _bucket()
    _s3cmd(c, "mb", f"s3://{bucket}")
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "big.bin")
        data = os.urandom(1024 * 1024) * 12  # 12 MiB: three parts of 5, 5 and 2 MiB
        with open(src, "wb") as f:
            f.write(data)
        _s3cmd(c, "put", "--multipart-chunk-size-mb=5", src, f"s3://{bucket}/big.bin")
        dst = os.path.join(tmp, "back.bin")
        _s3cmd(c, "get", f"s3://{bucket}/big.bin", dst)
        assert filecmp.cmp(src, dst, shallow=False)
        etag = c.boto3("s3").head_object(Bucket=bucket, Key="big.bin")["ETag"]
        assert etag.endswith('-3"'), etag  # uploaded in three parts: md5-of-md5s-3
    _s3cmd(c, "del", f"s3://{bucket}/big.bin")
    _s3cmd(c, "rb", f"s3://{bucket}")


def s3cmd_setacl_on_a_bucket_with_acls(c):
    bucket = _bucket()
    s3 = c.boto3("s3")
    s3.create_bucket(Bucket=bucket, ObjectOwnership="ObjectWriter")
    s3.delete_public_access_block(Bucket=bucket)
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "page.html")
        with open(src, "w") as f:
            f.write("<p>hi</p>")
        _s3cmd(c, "put", src, f"s3://{bucket}/page.html")
    _s3cmd(c, "setacl", "--acl-public", f"s3://{bucket}/page.html")
    grants = s3.get_object_acl(Bucket=bucket, Key="page.html")["Grants"]
    assert any(g["Grantee"].get("URI") == "http://acs.amazonaws.com/groups/global/AllUsers" and g["Permission"] == "READ" for g in grants), grants
    info = _s3cmd(c, "info", f"s3://{bucket}/page.html")
    assert "*anon*: READ" in info, info
    _s3cmd(c, "setacl", "--acl-private", f"s3://{bucket}/page.html")
    grants = s3.get_object_acl(Bucket=bucket, Key="page.html")["Grants"]
    assert len(grants) == 1 and grants[0]["Permission"] == "FULL_CONTROL", grants
    _s3cmd(c, "del", f"s3://{bucket}/page.html")
    _s3cmd(c, "rb", f"s3://{bucket}")


S3CMD_SCENARIOS = [(f.__name__, f) for f in [
    s3cmd_mb_put_ls_get_del_rb,
    s3cmd_sync_a_directory_tree_both_ways,
    s3cmd_multipart_put_with_5_mb_chunks,
    s3cmd_setacl_on_a_bucket_with_acls,
]] if shutil.which("s3cmd") else []
