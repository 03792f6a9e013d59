"""The Today screen: what is due now, and one action to start the next circle."""
