"""The people directory screens: list, add/edit form, guardian links and roster import."""
