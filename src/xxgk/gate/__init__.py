"""The CI gate: `xxgk check` and comparing reports with expected JSON and labels."""
