"""Analyse: facts, waits and groups worked out from a child's record."""
