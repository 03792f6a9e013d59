"""Planning circles and conferences: the circle list, the planning dialog and the seating ring."""
