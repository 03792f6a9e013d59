"""The SRO area: the officer's activity log by triad role, and training against the requirement."""
