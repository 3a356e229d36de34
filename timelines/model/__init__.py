"""Records: the child, events, placements, dates, problems and options."""
