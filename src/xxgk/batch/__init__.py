"""The batch runner: inputs, worker processes, incremental state, atomic outputs, the run's lock."""
