"""The report as data: the pydantic models, findings, and the errors that stop a file."""
