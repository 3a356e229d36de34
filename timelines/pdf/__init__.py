"""PDF: the only code that talks to reportlab (painter, fonts, documents)."""
