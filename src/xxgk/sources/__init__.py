"""Stages 1-3: a file's bytes to normalized, numbered text lines (plain text, HTML, PDF, Word)."""
