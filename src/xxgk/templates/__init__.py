"""The report templates as data: the 2019 and 2021 tables, rows, columns, rules; the data dictionary."""
