"""Product events: event store, tracking API ingestion and daily rollups."""
