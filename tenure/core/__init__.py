"""Settings, database, logging, errors, time and money."""
