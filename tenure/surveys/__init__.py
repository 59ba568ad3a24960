"""NPS and CSAT surveys and their responses."""
