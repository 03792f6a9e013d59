"""Running a circle live: the facilitator window, the projector window, resuming, the summary."""
