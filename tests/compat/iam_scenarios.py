"""IAM through boto3 and the AWS CLI: users, roles, policies, access keys that act as their user."""
import json
import uuid

import botocore.exceptions

TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
READ = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::bucket/*"}]}


def _name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _error(call, **kwargs):
    try:
        call(**kwargs)
    except botocore.exceptions.ClientError as e:
        return e.response
    raise AssertionError(f"expected an error from {call.__name__}")


def boto3_user_access_key_is_attributed_to_the_user(c):
    iam = c.boto3("iam", key="444455556666")
    name = _name("compat-user")
    user = iam.create_user(UserName=name, Path="/compat/")["User"]
    assert user["UserId"].startswith("AIDA"), user
    key = iam.create_access_key(UserName=name)["AccessKey"]
    identity = c.boto3("sts", key=key["AccessKeyId"], secret=key["SecretAccessKey"]).get_caller_identity()
    assert identity["Arn"] == f"arn:aws:iam::444455556666:user/compat/{name}", identity
    assert identity["UserId"] == user["UserId"], identity
    me = c.boto3("iam", key=key["AccessKeyId"], secret=key["SecretAccessKey"]).get_user()["User"]
    assert me["UserName"] == name, me


def boto3_role_trust_policy_round_trips_as_a_document(c):
    iam = c.boto3("iam")
    name = _name("compat-role")
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST), MaxSessionDuration=7200)
    role = iam.get_role(RoleName=name)["Role"]
    # botocore URL-decodes and parses the document, as it does for AWS.
    assert role["AssumeRolePolicyDocument"] == TRUST, role
    assert role["MaxSessionDuration"] == 7200, role
    iam.attach_role_policy(RoleName=name, PolicyArn="arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
    attached = iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
    assert [p["PolicyName"] for p in attached] == ["AWSLambdaBasicExecutionRole"], attached


def boto3_managed_policy_versions_and_inline_policies(c):
    iam = c.boto3("iam")
    name = _name("compat-policy")
    arn = iam.create_policy(PolicyName=name, PolicyDocument=json.dumps(READ))["Policy"]["Arn"]
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(READ), SetAsDefault=True)
    version = iam.get_policy_version(PolicyArn=arn, VersionId="v2")["PolicyVersion"]
    assert version["IsDefaultVersion"] and version["Document"] == READ, version
    user = _name("compat-inline")
    iam.create_user(UserName=user)
    iam.put_user_policy(UserName=user, PolicyName="read", PolicyDocument=json.dumps(READ))
    assert iam.get_user_policy(UserName=user, PolicyName="read")["PolicyDocument"] == READ
    paginator = iam.get_paginator("list_policies")
    arns = [p["Arn"] for page in paginator.paginate(Scope="AWS", PaginationConfig={"PageSize": 10}) for p in page["Policies"]]
    assert "arn:aws:iam::aws:policy/AdministratorAccess" in arns, arns


def boto3_errors_match_aws(c):
    iam = c.boto3("iam", validate=False)
    missing = _error(iam.get_user, UserName="compat-nobody")
    assert missing["Error"]["Code"] == "NoSuchEntity", missing
    assert missing["Error"]["Message"] == "The user with name compat-nobody cannot be found.", missing
    assert missing["ResponseMetadata"]["HTTPStatusCode"] == 404
    name = _name("compat-dup")
    iam.create_user(UserName=name)
    dup = _error(iam.create_user, UserName=name)
    assert dup["Error"]["Code"] == "EntityAlreadyExists" and dup["ResponseMetadata"]["HTTPStatusCode"] == 409, dup
    bad = _error(iam.create_policy, PolicyName=_name("bad"), PolicyDocument='{"Statement":[]}')
    assert bad["Error"]["Code"] == "MalformedPolicyDocument", bad
    invalid = _error(iam.create_user, UserName="no spaces allowed")
    assert invalid["Error"]["Code"] == "ValidationError", invalid


def cli_create_user_and_list_users(c):
    name = _name("cli-user")
    created = c.cli("iam", "create-user", "--user-name", name)
    assert created["User"]["UserName"] == name, created
    users = c.cli("iam", "list-users")["Users"]
    assert any(u["UserName"] == name for u in users), users


def cli_get_role_decodes_the_trust_policy(c):
    name = _name("cli-role")
    c.cli("iam", "create-role", "--role-name", name, "--assume-role-policy-document", json.dumps(TRUST))
    role = c.cli("iam", "get-role", "--role-name", name)["Role"]
    assert role["AssumeRolePolicyDocument"] == TRUST, role


IAM_SCENARIOS = [(f.__name__, f) for f in [
    boto3_user_access_key_is_attributed_to_the_user,
    boto3_role_trust_policy_round_trips_as_a_document,
    boto3_managed_policy_versions_and_inline_policies,
    boto3_errors_match_aws,
    cli_create_user_and_list_users,
    cli_get_role_decodes_the_trust_policy,
]]
