"""The IAM policy simulator through boto3: the engine --enforce-iam uses, answerable without enforcement."""
import json
import uuid

POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/*"},
    {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::data/secret/*"},
    {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*",
     "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}


def boto3_simulate_custom_policy_decides_each_action_and_resource(c):
    iam = c.boto3("iam")
    results = iam.simulate_custom_policy(
        PolicyInputList=[json.dumps(POLICY)],
        ActionNames=["s3:GetObject", "s3:PutObject"],
        ResourceArns=["arn:aws:s3:::data/a.csv", "arn:aws:s3:::data/secret/k"])["EvaluationResults"]
    decisions = [(r["EvalActionName"], r["EvalResourceName"], r["EvalDecision"]) for r in results]
    assert decisions == [
        ("s3:GetObject", "arn:aws:s3:::data/a.csv", "allowed"),
        ("s3:GetObject", "arn:aws:s3:::data/secret/k", "explicitDeny"),
        ("s3:PutObject", "arn:aws:s3:::data/a.csv", "implicitDeny"),
        ("s3:PutObject", "arn:aws:s3:::data/secret/k", "explicitDeny"),
    ], decisions
    ec2 = iam.simulate_custom_policy(PolicyInputList=[json.dumps(POLICY)], ActionNames=["ec2:RunInstances"])["EvaluationResults"][0]
    assert ec2["EvalDecision"] == "implicitDeny" and ec2["MissingContextValues"] == ["aws:SourceIp"], ec2
    with_ip = iam.simulate_custom_policy(
        PolicyInputList=[json.dumps(POLICY)], ActionNames=["ec2:RunInstances"],
        ContextEntries=[{"ContextKeyName": "aws:SourceIp", "ContextKeyValues": ["10.1.2.3"], "ContextKeyType": "ip"}])
    assert with_ip["EvaluationResults"][0]["EvalDecision"] == "allowed", with_ip


def boto3_simulate_principal_policy_paginates(c):
    iam = c.boto3("iam")
    name = f"compat-sim-{uuid.uuid4().hex[:10]}"
    arn = iam.create_user(UserName=name)["User"]["Arn"]
    iam.put_user_policy(UserName=name, PolicyName="own", PolicyDocument=json.dumps(POLICY))
    pages = iam.get_paginator("simulate_principal_policy").paginate(
        PolicySourceArn=arn, ActionNames=["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        ResourceArns=["arn:aws:s3:::data/a.csv"], PaginationConfig={"PageSize": 2})
    results = [r for page in pages for r in page["EvaluationResults"]]
    assert [r["EvalDecision"] for r in results] == ["allowed", "implicitDeny", "implicitDeny"], results
    assert results[0]["MatchedStatements"][0]["SourcePolicyId"] == "own", results[0]


IAM_ENFORCE_SCENARIOS = [(f.__name__, f) for f in [
    boto3_simulate_custom_policy_decides_each_action_and_resource,
    boto3_simulate_principal_policy_paginates,
]]
