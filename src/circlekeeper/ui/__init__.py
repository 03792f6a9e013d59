"""The Qt user interface. Only this package uses QtWidgets."""
