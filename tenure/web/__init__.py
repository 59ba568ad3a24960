"""FastAPI application: JSON API, tracking API and HTML pages."""
