"""One error type for bad or missing source data, so the CLI can exit non-zero cleanly."""


class SourceDataError(Exception):
    """Source data is missing or malformed. The message names table, region, year, value."""
