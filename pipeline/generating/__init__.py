"""Turn openapi.json + patches/ into generated/: overlay, naming rule, normalisation, generator, drift check."""
