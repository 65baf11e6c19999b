"""The store layer: one ``Settings``, the build pipeline that writes the store, and its files.

Reads ``data_sources`` (raw) and ``geo`` (shape, harmonise, tag); read by ``dashboard``.
"""
