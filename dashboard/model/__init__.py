"""The dashboard's read model: the store as regions, measures, series and policies (read-only)."""
