"""A URLconf without API views: drf-spectacular emits a document with no paths."""

urlpatterns: list[object] = []
