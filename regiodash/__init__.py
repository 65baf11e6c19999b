"""regiodash: Dutch regional demographics (CBS) beside the regional policy that applies."""

__version__ = "0.1.0"
