"""The corpus's Django project: one app, several documents (`settings.VARIANTS`)."""
