"""The build pipeline: openapi.json -> patches/ -> generated/ (see the Makefile for the steps)."""
