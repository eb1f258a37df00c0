"""SSM Parameter Store through boto3 and the AWS CLI; Secrets Manager through boto3."""
import uuid

import botocore.exceptions


def _name(prefix="/compat"):
    return f"{prefix}/{uuid.uuid4().hex}"


def _error_code(call):
    try:
        call()
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"]["Message"]
    raise AssertionError("expected an error")


def boto3_parameter_versions_and_labels(c):
    ssm = c.boto3("ssm")
    name = _name()
    assert ssm.put_parameter(Name=name, Value="a", Type="String")["Version"] == 1
    assert ssm.put_parameter(Name=name, Value="b", Overwrite=True)["Version"] == 2
    ssm.label_parameter_version(Name=name, ParameterVersion=1, Labels=["stable"])
    assert ssm.get_parameter(Name=f"{name}:stable")["Parameter"]["Value"] == "a"
    assert ssm.get_parameter(Name=f"{name}:2")["Parameter"]["Value"] == "b"
    history = ssm.get_parameter_history(Name=name)["Parameters"]
    assert [h["Value"] for h in history] == ["a", "b"], history


def boto3_existing_parameter_without_overwrite_is_already_exists(c):
    ssm = c.boto3("ssm")
    name = _name()
    ssm.put_parameter(Name=name, Value="a", Type="String")
    code, message = _error_code(lambda: ssm.put_parameter(Name=name, Value="b", Type="String"))
    assert code == "ParameterAlreadyExists", code
    assert "overwrite option" in message, message


def boto3_parameters_by_path_paginate(c):
    ssm = c.boto3("ssm")
    root = _name()
    for leaf in ["a", "b", "c/d"]:
        ssm.put_parameter(Name=f"{root}/{leaf}", Value=leaf, Type="SecureString")
    pages = ssm.get_paginator("get_parameters_by_path").paginate(
        Path=root, Recursive=True, WithDecryption=True, PaginationConfig={"PageSize": 2})
    values = [p["Value"] for page in pages for p in page["Parameters"]]
    assert values == ["a", "b", "c/d"], values


def boto3_get_parameters_reports_invalid_names(c):
    ssm = c.boto3("ssm")
    name, missing = _name(), _name()
    ssm.put_parameter(Name=name, Value="x,y", Type="StringList")
    result = ssm.get_parameters(Names=[name, missing])
    assert [p["Value"] for p in result["Parameters"]] == ["x,y"], result
    assert result["InvalidParameters"] == [missing], result


def cli_put_get_describe_delete_parameter(c):
    name = _name()
    assert c.cli("ssm", "put-parameter", "--name", name, "--value", "v", "--type", "String")["Version"] == 1
    assert c.cli("ssm", "get-parameter", "--name", name)["Parameter"]["Value"] == "v"
    described = c.cli("ssm", "describe-parameters", "--parameter-filters", f"Key=Name,Values={name}")
    assert [p["Name"] for p in described["Parameters"]] == [name], described
    c.cli("ssm", "delete-parameter", "--name", name)
    error = c.cli("ssm", "get-parameter", "--name", name, expect_error=True)
    assert "ParameterNotFound" in error["stderr"], error


def boto3_secret_versions_rotate_current_and_previous(c):
    sm = c.boto3("secretsmanager")
    name = _name("compat")
    arn = sm.create_secret(Name=name, SecretString="one")["ARN"]
    assert arn.startswith(f"arn:aws:secretsmanager:us-east-1:000000000000:secret:{name}-"), arn
    sm.put_secret_value(SecretId=arn, SecretString="two")
    assert sm.get_secret_value(SecretId=name)["SecretString"] == "two"
    assert sm.get_secret_value(SecretId=name, VersionStage="AWSPREVIOUS")["SecretString"] == "one"
    stages = sm.describe_secret(SecretId=name)["VersionIdsToStages"]
    assert sorted(s for v in stages.values() for s in v) == ["AWSCURRENT", "AWSPREVIOUS"], stages


def boto3_deleted_secret_is_invalid_request_until_restored(c):
    sm = c.boto3("secretsmanager")
    name = _name("compat")
    sm.create_secret(Name=name, SecretBinary=b"\x00\x01")
    sm.delete_secret(SecretId=name, RecoveryWindowInDays=7)
    code, message = _error_code(lambda: sm.get_secret_value(SecretId=name))
    assert code == "InvalidRequestException", code
    assert "marked for deletion" in message, message
    sm.restore_secret(SecretId=name)
    assert sm.get_secret_value(SecretId=name)["SecretBinary"] == b"\x00\x01"


def boto3_list_secrets_filters_and_random_password(c):
    sm = c.boto3("secretsmanager")
    name = _name("compat")
    sm.create_secret(Name=name, SecretString="x", Tags=[{"Key": "team", "Value": "core"}])
    listed = sm.list_secrets(Filters=[{"Key": "name", "Values": [name]}])["SecretList"]
    assert [s["Name"] for s in listed] == [name], listed
    assert listed[0]["Tags"] == [{"Key": "team", "Value": "core"}], listed
    password = sm.get_random_password(PasswordLength=20, ExcludePunctuation=True)["RandomPassword"]
    assert len(password) == 20 and password.isalnum(), password
    code, _ = _error_code(lambda: sm.get_secret_value(SecretId=_name("compat")))
    assert code == "ResourceNotFoundException", code


def cli_public_parameter_latest_ami(c):
    name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
    parameter = c.cli("ssm", "get-parameter", "--name", name)["Parameter"]
    assert parameter["Value"].startswith("ami-"), parameter
    assert parameter["ARN"] == "arn:aws:ssm:us-east-1::parameter" + name, parameter


def boto3_secret_replica_follows_its_primary(c):
    east, west = c.boto3("secretsmanager"), c.boto3("secretsmanager", region="eu-west-1")
    name = _name("compat")
    created = east.create_secret(Name=name, SecretString="one", AddReplicaRegions=[{"Region": "eu-west-1"}])
    assert created["ReplicationStatus"][0]["Status"] == "InSync", created
    east.put_secret_value(SecretId=name, SecretString="two")
    assert west.get_secret_value(SecretId=name)["SecretString"] == "two"
    assert west.describe_secret(SecretId=name)["PrimaryRegion"] == "us-east-1"
    code, _ = _error_code(lambda: west.put_secret_value(SecretId=name, SecretString="mine"))
    assert code == "InvalidParameterException", code
    east.remove_regions_from_replication(SecretId=name, RemoveReplicaRegions=["eu-west-1"])
    code, _ = _error_code(lambda: west.get_secret_value(SecretId=name))
    assert code == "ResourceNotFoundException", code


SSM_SCENARIOS = [(f.__name__, f) for f in [
    boto3_parameter_versions_and_labels,
    boto3_existing_parameter_without_overwrite_is_already_exists,
    boto3_parameters_by_path_paginate,
    boto3_get_parameters_reports_invalid_names,
    cli_put_get_describe_delete_parameter,
    boto3_secret_versions_rotate_current_and_previous,
    boto3_deleted_secret_is_invalid_request_until_restored,
    boto3_list_secrets_filters_and_random_password,
    cli_public_parameter_latest_ami,
    boto3_secret_replica_follows_its_primary,
]]
