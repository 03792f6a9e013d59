"""The scripts area: its operations, viewer-filtered reads and row records."""
