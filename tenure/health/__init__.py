"""Health scorecards, scoring and explanation."""
