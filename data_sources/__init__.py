"""Fetch step: CBS tables and PDOK boundaries, live or from a local mirror, as raw tables."""
