# Nephele's Python runtime client: polls the Lambda Runtime API, imports the handler, runs it with AWS's
# context object and reports results and errors as AWS does.
import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

os.dup2(1, 2)  # stderr joins stdout, so everything precedes the done marker in order
HOST, PORT = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
PREFIX = "/2018-06-01/runtime"
DONE = "\0nephele:done:"
connection = http.client.HTTPConnection(HOST, int(PORT))
current_request_id = None


def call(method, path, body=None, headers=None):
    connection.request(method, PREFIX + path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = current_request_id
        return True


def setup_logging():
    handler = logging.StreamHandler(sys.stdout)
    formatter = logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S")
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.WARNING)


def error_payload(error_type, message, tb=None):
    return {"errorMessage": message, "errorType": error_type, "requestId": current_request_id or "",
            "stackTrace": traceback.format_list(traceback.extract_tb(tb)) if tb else []}


def load_handler():
    spec = os.environ.get("_HANDLER", "")
    module_path, _, name = spec.rpartition(".")
    if not module_path:
        raise HandlerError("Runtime.MalformedHandlerName", f"Bad handler '{spec}': not enough values to unpack (expected 2, got 1)")
    module_name = module_path.replace("/", ".")
    sys.path.insert(0, os.environ["LAMBDA_TASK_ROOT"])
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise HandlerError("Runtime.ImportModuleError", f"Unable to import module '{module_name}': {e}")
    except SyntaxError as e:
        raise HandlerError("Runtime.UserCodeSyntaxError", f"Syntax error in module '{module_name}': {e}")
    fn = getattr(module, name, None)
    if fn is None:
        raise HandlerError("Runtime.HandlerNotFound", f"Handler '{name}' missing on module '{module_name}'")
    return fn


class HandlerError(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type


class Context:
    def __init__(self, headers):
        self.aws_request_id = headers.get("lambda-runtime-aws-request-id")
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self._deadline = int(headers.get("lambda-runtime-deadline-ms", "0"))
        self.client_context = json.loads(headers["lambda-runtime-client-context"]) if headers.get("lambda-runtime-client-context") else None
        self.identity = json.loads(headers["lambda-runtime-cognito-identity"]) if headers.get("lambda-runtime-cognito-identity") else None

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline - int(time.time() * 1000))


def write(text):
    sys.stdout.write(text)
    sys.stdout.flush()


def main():
    global current_request_id
    setup_logging()
    try:
        handler = load_handler()
    except HandlerError as e:
        payload = error_payload(e.error_type, str(e))
        write(f"[ERROR] {e.error_type}: {e}\n")
        call("POST", "/init/error", json.dumps(payload), {"Lambda-Runtime-Function-Error-Type": e.error_type})
        sys.exit(1)
    except Exception as e:
        payload = error_payload(type(e).__name__, str(e), e.__traceback__)
        write(f"[ERROR] {type(e).__name__}: {e}\n")
        call("POST", "/init/error", json.dumps(payload), {"Lambda-Runtime-Function-Error-Type": "Runtime.Unknown"})
        sys.exit(1)
    while True:
        _, headers, body = call("GET", "/invocation/next")
        request_id = headers.get("lambda-runtime-aws-request-id")
        current_request_id = request_id
        if headers.get("lambda-runtime-trace-id"):
            os.environ["_X_AMZN_TRACE_ID"] = headers["lambda-runtime-trace-id"]
        try:
            event = json.loads(body) if body else None
            result = handler(event, Context(headers))
            try:
                response, error = json.dumps(result), None
            except (TypeError, ValueError) as e:
                error = error_payload("Runtime.MarshalError", f"Unable to marshal response: {e}")
        except Exception as e:
            error = error_payload(type(e).__name__, str(e), e.__traceback__.tb_next)
            write(f"[ERROR] {type(e).__name__}: {e}\rTraceback (most recent call last):\r" + "".join(error["stackTrace"]).replace("\n", "\r") + "\n")
        write(DONE + request_id + "\n")
        if error is None:
            call("POST", f"/invocation/{request_id}/response", response)
        else:
            call("POST", f"/invocation/{request_id}/error", json.dumps(error), {"Lambda-Runtime-Function-Error-Type": error["errorType"]})


if __name__ == "__main__":
    try:
        main()
    except (ConnectionError, http.client.HTTPException):
        sys.exit(1)  # Nephele is gone: the environment ends with it
