"""Pipeline: load → prepare → analyse → layout → draw → export, wired once."""
