"""STS identity through boto3 and the AWS CLI, with default and 12-digit keys."""


def boto3_default_key_is_root_of_default_account(c):
    identity = c.boto3("sts").get_caller_identity()
    assert identity["Account"] == "000000000000", identity
    assert identity["Arn"] == "arn:aws:iam::000000000000:root", identity


def boto3_twelve_digit_key_names_the_account(c):
    identity = c.boto3("sts", key="123456789012").get_caller_identity()
    assert identity["Account"] == "123456789012", identity


def boto3_assumed_role_credentials_are_attributed_to_the_session(c):
    creds = c.boto3("sts").assume_role(RoleArn="arn:aws:iam::111122223333:role/app", RoleSessionName="compat")["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA")
    identity = c.boto3("sts", key=creds["AccessKeyId"], secret=creds["SecretAccessKey"],
                       token=creds["SessionToken"]).get_caller_identity()
    assert identity["Arn"] == "arn:aws:sts::111122223333:assumed-role/app/compat", identity


def boto3_invalid_session_name_is_validation_error(c):
    import botocore.exceptions
    try:
        c.boto3("sts", validate=False).assume_role(RoleArn="arn:aws:iam::111122223333:role/app", RoleSessionName="x")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "ValidationError", e.response
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        return
    raise AssertionError("expected ValidationError")


def cli_default_key_is_root_of_default_account(c):
    identity = c.cli("sts", "get-caller-identity")
    assert identity["Account"] == "000000000000", identity


def cli_twelve_digit_key_names_the_account(c):
    identity = c.cli("sts", "get-caller-identity", key="210987654321")
    assert identity["Account"] == "210987654321", identity
    assert identity["Arn"] == "arn:aws:iam::210987654321:root", identity


def cli_get_session_token_returns_temporary_credentials(c):
    creds = c.cli("sts", "get-session-token", "--duration-seconds", "900")["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA") and creds["SessionToken"], creds


STS_SCENARIOS = [(f.__name__, f) for f in [
    boto3_default_key_is_root_of_default_account,
    boto3_twelve_digit_key_names_the_account,
    boto3_assumed_role_credentials_are_attributed_to_the_session,
    boto3_invalid_session_name_is_validation_error,
    cli_default_key_is_root_of_default_account,
    cli_twelve_digit_key_names_the_account,
    cli_get_session_token_returns_temporary_credentials,
]]
