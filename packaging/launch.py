"""The bundle's start script: the same entry point as the installed ``circlekeeper`` command."""

import sys

from circlekeeper.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
