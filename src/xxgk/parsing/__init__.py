"""Stages 4-7: sections, metadata, tables and their cells, the report, its arithmetic checks."""
