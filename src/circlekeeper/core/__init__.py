"""The Qt-free heart of circlekeeper: domain rules, storage, services and exports.

Nothing under this package may import PySide6; a test enforces it, so the command line and
the tests can use every rule without a GUI.
"""
