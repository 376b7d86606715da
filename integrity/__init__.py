"""The corruption and misconduct track: a separate, protected channel (its own tables and pages).

Nothing general imports this package; only ``reports`` may, and only ``integrity.services``'s
counts.
"""
