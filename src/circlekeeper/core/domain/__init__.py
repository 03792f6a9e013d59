"""Plain-Python rules of restorative practice: kinds, roles, statuses, scripts, live sessions."""
