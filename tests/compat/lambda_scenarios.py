"""Lambda functions created and invoked through boto3 and the AWS CLI (the code really runs)."""
import base64
import io
import json
import uuid
import zipfile

ROLE = "arn:aws:iam::000000000000:role/lambda-role"


def _zip(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, content in files.items():
            z.writestr(name, content)
    return buffer.getvalue()


def _name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


PYTHON_HANDLER = """
import boto3, os
def handler(event, context):
    print("hello from", context.function_name)
    # The function's own SDK calls go to Nephele through AWS_ENDPOINT_URL, as the execution role.
    identity = boto3.client("sts").get_caller_identity()
    return {"sum": event["a"] + event["b"], "arn": identity["Arn"]}
"""


def boto3_create_and_invoke_python_function(c):
    aws = c.boto3("lambda")
    name = _name("py")
    created = aws.create_function(FunctionName=name, Runtime="python3.11", Role=ROLE, Handler="app.handler",
                                  Code={"ZipFile": _zip({"app.py": PYTHON_HANDLER})})
    assert created["State"] == "Pending", created
    aws.get_waiter("function_active_v2").wait(FunctionName=name)
    reply = aws.invoke(FunctionName=name, Payload=json.dumps({"a": 1, "b": 2}), LogType="Tail")
    result = json.loads(reply["Payload"].read())
    assert result["sum"] == 3, result
    assert result["arn"].endswith(f":assumed-role/lambda-role/{name}"), result
    assert "FunctionError" not in reply, reply
    log = base64.b64decode(reply["LogResult"]).decode()
    assert f"hello from {name}" in log and "REPORT RequestId" in log, log


def boto3_unhandled_error_and_versions(c):
    aws = c.boto3("lambda")
    name = _name("err")
    aws.create_function(FunctionName=name, Runtime="nodejs20.x", Role=ROLE, Handler="index.handler", Publish=True,
                        Code={"ZipFile": _zip({"index.js": "exports.handler = async () => { throw new TypeError('nope'); };"})})
    reply = aws.invoke(FunctionName=name, Qualifier="1")
    assert reply["FunctionError"] == "Unhandled", reply
    assert reply["ExecutedVersion"] == "1", reply
    assert json.loads(reply["Payload"].read())["errorType"] == "TypeError"
    versions = aws.list_versions_by_function(FunctionName=name)["Versions"]
    assert [v["Version"] for v in versions] == ["$LATEST", "1"], versions
    aws.delete_function(FunctionName=name)


def cli_invoke_node_function(c):
    import os
    import tempfile
    name = _name("cli")
    with tempfile.TemporaryDirectory() as tmp:
        package = os.path.join(tmp, "code.zip")
        with open(package, "wb") as f:
            f.write(_zip({"index.mjs": "export const handler = async (e) => ({ echo: e.word });"}))
        c.cli("lambda", "create-function", "--function-name", name, "--runtime", "nodejs20.x", "--role", ROLE,
              "--handler", "index.handler", "--zip-file", f"fileb://{package}")
        out = os.path.join(tmp, "out.json")
        # AWS CLI v1 sends --payload as is (v2 would need --cli-binary-format raw-in-base64-out).
        meta = c.cli("lambda", "invoke", "--function-name", name, "--payload", '{"word": "hi"}', out)
        assert meta["StatusCode"] == 200, meta
        with open(out) as f:
            assert json.load(f) == {"echo": "hi"}


LAMBDA_SCENARIOS = [(f.__name__, f) for f in [
    boto3_create_and_invoke_python_function,
    boto3_unhandled_error_and_versions,
    cli_invoke_node_function,
]]
