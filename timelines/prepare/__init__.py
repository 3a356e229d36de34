"""Prepare: templates (themes), plain words and redaction, before any analysis."""
