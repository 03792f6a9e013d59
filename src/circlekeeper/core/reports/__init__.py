"""Programme reports: one engine in core shared by the Reports area and `circlekeeper report`."""
