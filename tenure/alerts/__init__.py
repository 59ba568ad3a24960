"""Alert rules, alerts and notification channels."""
