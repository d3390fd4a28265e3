"""What if a workshop opened here? Exact planner pages and API (``matching.planner``)."""
