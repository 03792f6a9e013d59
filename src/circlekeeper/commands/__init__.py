"""Subcommands of the ``circlekeeper`` command line, one module each."""
