"""The corpus's one Django app: models, serializers and views of the shapes DRF apps ship."""
