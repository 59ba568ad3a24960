"""Exports of the store for other engines and tools."""
