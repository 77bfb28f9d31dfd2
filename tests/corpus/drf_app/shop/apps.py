from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "tests.corpus.drf_app.shop"
    label = "shop"
    default_auto_field = "django.db.models.BigAutoField"
