"""Export: the only code that writes files."""
