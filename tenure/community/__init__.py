"""Customer community forum."""
