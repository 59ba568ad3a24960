"""Tenure: a self-hosted customer-success platform for B2B SaaS companies."""

__version__ = "0.1.0"
