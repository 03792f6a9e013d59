"""Search everywhere: one field that finds people, cases, circles, agreements and notes."""
