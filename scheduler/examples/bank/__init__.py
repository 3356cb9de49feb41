"""The "Anonymous Bank" example: ``scenario.yaml``, ``history.csv``, ``README.md`` (data only)."""
