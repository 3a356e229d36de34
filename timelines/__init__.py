"""timelines: one-page visual timelines for looked-after children."""

__version__ = "0.1.0"
