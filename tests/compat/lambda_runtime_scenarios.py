"""Lambda layers, code from S3 and function URLs through boto3 (the functions really run)."""
import json
import urllib.error
import urllib.parse
import urllib.request

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.exceptions

from lambda_scenarios import ROLE, _name, _zip


def boto3_layer_module_imported_by_python_function(c):
    aws = c.boto3("lambda")
    layer = _name("layer")
    published = aws.publish_layer_version(LayerName=layer, CompatibleRuntimes=["python3.11"], LicenseInfo="MIT",
                                          Content={"ZipFile": _zip({"python/shared_lib.py": "WORD = 'from the layer'\n"})})
    assert published["Version"] == 1, published
    versions = aws.list_layer_versions(LayerName=layer, CompatibleRuntime="python3.11")["LayerVersions"]
    assert [v["Version"] for v in versions] == [1], versions
    name = _name("layered")
    aws.create_function(FunctionName=name, Runtime="python3.11", Role=ROLE, Handler="app.handler", Layers=[published["LayerVersionArn"]],
                        Code={"ZipFile": _zip({"app.py": "import shared_lib\ndef handler(e, c):\n    return shared_lib.WORD\n"})})
    config = aws.get_function_configuration(FunctionName=name)
    assert config["Layers"][0]["Arn"] == published["LayerVersionArn"], config
    reply = aws.invoke(FunctionName=name)
    assert json.loads(reply["Payload"].read()) == "from the layer", reply
    try:
        aws.create_function(FunctionName=_name("missing"), Runtime="python3.11", Role=ROLE, Handler="app.handler",
                            Layers=[published["LayerVersionArn"][:-1] + "7"], Code={"ZipFile": _zip({"app.py": ""})})
        raise AssertionError("a missing layer version was accepted")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "InvalidParameterValueException", e.response
    aws.delete_layer_version(LayerName=layer, VersionNumber=1)


def boto3_function_code_from_s3(c):
    s3 = c.boto3("s3")
    aws = c.boto3("lambda")
    bucket = _name("code")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="fn.zip", Body=_zip({"index.js": "exports.handler = async () => 's3 code';"}))
    name = _name("froms3")
    aws.create_function(FunctionName=name, Runtime="nodejs20.x", Role=ROLE, Handler="index.handler",
                        Code={"S3Bucket": bucket, "S3Key": "fn.zip"})
    assert json.loads(aws.invoke(FunctionName=name)["Payload"].read()) == "s3 code"
    try:
        aws.update_function_code(FunctionName=name, S3Bucket=bucket, S3Key="missing.zip")
        raise AssertionError("a missing S3 object was accepted")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "InvalidParameterValueException", e.response
        assert "S3 Error Code: NoSuchKey" in e.response["Error"]["Message"], e.response


def _url_request(c, url, path, method="GET", data=None, headers=None):
    """Calls a function URL through Nephele's own address with the URL's Host (no DNS for *.localhost needed)."""
    parsed = urllib.parse.urlparse(url)
    request = urllib.request.Request(c.endpoint.rstrip("/") + path, data=data, method=method, headers={"Host": parsed.netloc, **(headers or {})})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def boto3_function_url_serves_http_requests(c):
    aws = c.boto3("lambda")
    name = _name("url")
    handler = "def handler(event, context):\n    return {'statusCode': 200, 'headers': {'x-path': event['rawPath']}, 'body': event.get('body', '')}\n"
    aws.create_function(FunctionName=name, Runtime="python3.11", Role=ROLE, Handler="app.handler", Code={"ZipFile": _zip({"app.py": handler})})
    url = aws.create_function_url_config(FunctionName=name, AuthType="NONE")["FunctionUrl"]
    assert aws.get_function_url_config(FunctionName=name)["FunctionUrl"] == url
    status, headers, body = _url_request(c, url, "/hello?x=1", method="POST", data=b"ping", headers={"Content-Type": "text/plain"})
    assert status == 200 and body == b"ping" and headers.get("x-path") == "/hello", (status, headers, body)

    aws.update_function_url_config(FunctionName=name, AuthType="AWS_IAM")
    status, _, _ = _url_request(c, url, "/private")
    assert status == 403, status
    # A SigV4-signed request, as awscurl or a signing HTTP client sends it.
    parsed = urllib.parse.urlparse(url)
    signed = botocore.awsrequest.AWSRequest(method="GET", url=f"http://{parsed.netloc}/private")
    botocore.auth.SigV4Auth(botocore.credentials.Credentials("test", "test"), "lambda", "us-east-1").add_auth(signed)
    status, headers, _ = _url_request(c, url, "/private", headers=dict(signed.headers.items()))
    assert status == 200 and headers.get("x-path") == "/private", (status, headers)
    aws.delete_function_url_config(FunctionName=name)
    assert aws.list_function_url_configs(FunctionName=name)["FunctionUrlConfigs"] == []


LAMBDA_RUNTIME_SCENARIOS = [(f.__name__, f) for f in [
    boto3_layer_module_imported_by_python_function,
    boto3_function_code_from_s3,
    boto3_function_url_serves_http_requests,
]]
