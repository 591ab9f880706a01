"""The analysts' outputs: cells.csv, rates.csv, datapackage.json, the workbook and SQLite export."""
