"""The `tenure` command line."""
