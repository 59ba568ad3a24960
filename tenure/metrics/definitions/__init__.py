"""Registered metric definitions; importing this package fills the catalogue."""

from tenure.metrics.definitions import book, economics, nps, renewals, revenue

__all__ = ["book", "economics", "nps", "renewals", "revenue"]
