"""Exports: plain views of records, and the sandboxed Jinja templates that turn them into HTML.

``circlekeeper.core.export.templates`` imports Jinja; import it only when exporting.
"""
