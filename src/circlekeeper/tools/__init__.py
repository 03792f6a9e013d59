"""Maintenance commands for developers and translators: ``python -m circlekeeper.tools.X``."""
