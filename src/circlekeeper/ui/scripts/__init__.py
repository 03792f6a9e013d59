"""The script library in the app: view the built-in scripts and edit the counselor's own."""
