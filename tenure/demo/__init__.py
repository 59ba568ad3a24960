"""A seeded generator of a believable demo company in the canonical import format."""
