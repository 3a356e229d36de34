"""Loading: the only part of timelines that reads files.

Each loader turns a file (CSV, Excel, SSDA903 extract, CIN census XML) into a
``timelines.model.records.Dataset`` and reports every problem it finds as a
``timelines.model.problems.Problem`` naming file, row and column.
"""
