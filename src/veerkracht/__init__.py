"""Veerkracht: resilient remote contact centers."""

__version__ = "0.1.0"
