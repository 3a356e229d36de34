"""Layout: pure geometry in points. Builds display lists (``Page``) that draw.py paints."""
