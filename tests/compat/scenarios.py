"""Scenario registry: each service adds its module's scenarios here."""
from dynamodb_scenarios import DYNAMODB_SCENARIOS
from sqs_scenarios import SQS_SCENARIOS
from ssm_scenarios import SSM_SCENARIOS
from sts_scenarios import STS_SCENARIOS

SCENARIOS = [*STS_SCENARIOS, *SQS_SCENARIOS, *SSM_SCENARIOS, *DYNAMODB_SCENARIOS]
