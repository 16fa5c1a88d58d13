"""Wayfinder: a cited, offline assistant over Plan 24-30 route maps, data catalogues and framework documents."""

__version__ = "0.1.0"
