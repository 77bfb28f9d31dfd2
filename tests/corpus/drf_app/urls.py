"""The corpus API: every view of `shop` under /api/."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .shop import views

router = DefaultRouter()
router.register("categories", views.CategoryViewSet)
router.register("products", views.ProductViewSet)

urlpatterns = [
    path("api/", include(router.urls)),
    path("api/tree/", views.TreeView.as_view()),
    path("api/fields/", views.EveryFieldView.as_view()),
    path("api/pets/", views.PetView.as_view()),
    path("api/ping/", views.PingView.as_view()),
]
