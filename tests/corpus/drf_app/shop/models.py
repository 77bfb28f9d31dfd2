"""Models without migrations: the live server creates their tables with `migrate --run-syncdb`."""

from django.db import models


class Category(models.Model):
    name = models.CharField(max_length=40)
    parent = models.ForeignKey("self", null=True, blank=True, related_name="children", on_delete=models.CASCADE)


class Product(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft"
        LIVE = "live"

    name = models.CharField(max_length=40)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    lead_time = models.DurationField(null=True, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    # Choices with blank and null: drf-spectacular adds BlankEnum and NullEnum to the oneOf.
    status = models.CharField(max_length=8, choices=Status.choices, blank=True, null=True)
    colours = models.JSONField(default=list, blank=True)
    secret = models.CharField(max_length=40, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL)
    manual = models.FileField(upload_to="manuals/", null=True, blank=True)
