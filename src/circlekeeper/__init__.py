"""circlekeeper: a facilitator's toolkit for restorative circles and conferences in schools."""

__version__ = "0.1.0"
