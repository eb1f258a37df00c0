"""Scenario registry: each service adds its module's scenarios here."""
from sts_scenarios import STS_SCENARIOS

SCENARIOS = [*STS_SCENARIOS]
