"""The facilitation area: its operations, viewer-filtered reads and row records."""
