"""Errors of alert rules, alerts and notifications."""

from tenure.alerts.expression import InvalidCondition
from tenure.core.errors import InvalidInput, NotFound


class AlertRuleNotFound(NotFound):
    """No alert rule has the id asked for."""


class AlertNotFound(NotFound):
    """No alert has the id asked for."""


class InvalidAlertChange(InvalidInput):
    """An alert cannot move to the status asked for."""


class DeliveryFailed(Exception):
    """A channel could not deliver a message; the outbox retries it later."""


__all__ = [
    "AlertNotFound",
    "AlertRuleNotFound",
    "DeliveryFailed",
    "InvalidAlertChange",
    "InvalidCondition",
]
