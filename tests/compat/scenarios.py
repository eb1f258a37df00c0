"""Scenario registry: each service adds its module's scenarios here."""
from ssm_scenarios import SSM_SCENARIOS
from sts_scenarios import STS_SCENARIOS

SCENARIOS = [*STS_SCENARIOS, *SSM_SCENARIOS]
