"""The corpus API plus a binary (`application/pdf`) response."""

from django.urls import path

from .shop import views
from .urls import urlpatterns as api

urlpatterns = [*api, path("api/products/<int:id>/manual/", views.ManualView.as_view())]
