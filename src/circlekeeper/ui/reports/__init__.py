"""The Reports area: choose a programme report, build it, read its tables and charts, save it."""
