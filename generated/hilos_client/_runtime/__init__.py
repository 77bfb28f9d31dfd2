# Copied from patches/runtime/__init__.py by pipeline/generating/generate.py.
# Do not edit here: edit patches/runtime/__init__.py, then run `make generate`.
"""The hand-written runtime every generated operation uses: clients, sending, retries, errors, pagination.

Written as ordinary Python in `patches/runtime/` and copied into the package by the pipeline; the package's
public modules (`client`, `errors`, `types`, `api`) re-export what callers use.
"""
