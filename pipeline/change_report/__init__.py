"""Report what a new upstream spec changes (spec and Python API) and the version bump it calls for."""
