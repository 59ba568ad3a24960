"""Customer-success metric definitions and their execution."""
