"""The cohort run chart (PACE): rules, the cohort as a series, the analysis, the chart
and its tables. ``timelines.pipeline.runchart`` wires them; ``api.runchart`` is the
public call."""
