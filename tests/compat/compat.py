"""The same scenarios as the .NET tests, through boto3 and the AWS CLI. Prints 'N passed, M failed'."""
import json
import os
import subprocess
import sys
import traceback

import boto3
from botocore.config import Config

from scenarios import SCENARIOS


def main() -> int:
    endpoint = sys.argv[1]
    passed, failed = 0, 0
    for name, scenario in SCENARIOS:
        try:
            scenario(Clients(endpoint))
            passed += 1
            print(f"PASS {name}")
        except Exception:  # noqa: BLE001 - report every failure and go on
            failed += 1
            print(f"FAIL {name}\n{traceback.format_exc()}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


class Clients:
    """boto3 clients and AWS CLI invocations pointed at one Nephele."""

    def __init__(self, endpoint: str):
        self.endpoint = endpoint

    def boto3(self, service: str, key: str = "test", secret: str = "test", token: str | None = None,
              region: str = "us-east-1", validate: bool = True):
        """validate=False sends what botocore would refuse, to see the server's own validation."""
        config = Config(parameter_validation=validate, retries={"max_attempts": 1})
        return boto3.client(service, endpoint_url=self.endpoint, region_name=region, aws_access_key_id=key,
                            aws_secret_access_key=secret, aws_session_token=token, config=config)

    def cli(self, *args: str, key: str = "test", secret: str = "test", region: str = "us-east-1",
            expect_error: bool = False) -> dict:
        env = dict(os.environ, AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret, AWS_DEFAULT_REGION=region,
                   AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")
        env.pop("AWS_SESSION_TOKEN", None)
        env.pop("AWS_PROFILE", None)
        result = subprocess.run(["aws", "--endpoint-url", self.endpoint, "--output", "json", *args],
                                env=env, capture_output=True, text=True, timeout=60)
        if expect_error:
            assert result.returncode != 0, f"expected an error, got {result.stdout}"
            return {"stderr": result.stderr}
        assert result.returncode == 0, f"aws {' '.join(args)} failed: {result.stderr}"
        return json.loads(result.stdout) if result.stdout.strip() else {}


if __name__ == "__main__":
    sys.exit(main())
