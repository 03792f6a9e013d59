"""The today area: its operations, viewer-filtered reads and row records."""
