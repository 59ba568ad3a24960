"""Bringing data in: readers per format, column mappings, validation, loading."""
