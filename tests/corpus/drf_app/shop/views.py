"""Views of every operation shape the corpus covers (see the module docstrings of each)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Category, Product
from .serializers import (
    PET,
    PETS,
    CategorySerializer,
    CatSerializer,
    DogSerializer,
    EveryFieldSerializer,
    ProductSerializer,
    RenameSerializer,
    TreeNodeSerializer,
    UploadSerializer,
)


class PlainPagination(PageNumberPagination):
    """A page schema without `required` (as older drf-spectacular / DRF emitted it)."""

    page_size = 10

    def get_paginated_response_schema(self, schema):
        page = super().get_paginated_response_schema(schema)
        page.pop("required", None)
        return page


class RequiredPagination(PageNumberPagination):
    page_size = 10


class CategoryViewSet(viewsets.ModelViewSet):
    """CRUD with a paginated list whose page schema has `required`, a django-filter filter, DELETE / 204."""

    queryset = Category.objects.order_by("id")
    serializer_class = CategorySerializer
    pagination_class = RequiredPagination
    filterset_fields = ["name", "parent"]

    @extend_schema(request=RenameSerializer, responses=CategorySerializer)
    @action(detail=True, methods=["post"])
    def rename(self, request, pk=None):
        category = self.get_object()
        body = RenameSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        category.name = body.validated_data["name"]
        category.save()
        return Response(CategorySerializer(category, context={"request": request}).data)


class ProductViewSet(viewsets.ModelViewSet):
    """CRUD with a page schema without `required`, an unpaginated listing, a CSV response, a multipart upload
    answering 204."""

    queryset = Product.objects.order_by("id")
    serializer_class = ProductSerializer
    pagination_class = PlainPagination
    filterset_fields = ["status", "category"]

    @extend_schema(responses=ProductSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def everything(self, request):
        products = self.filter_queryset(self.get_queryset())
        return Response(ProductSerializer(products, many=True, context={"request": request}).data)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR}, filters=False)
    @action(detail=False, methods=["get"], pagination_class=None)
    def export(self, request):
        lines = ["id,name"] + [f"{p.id},{p.name}" for p in self.get_queryset()]
        return HttpResponse("\n".join(lines) + "\n", content_type="text/csv")

    @extend_schema(request=UploadSerializer, responses={204: None})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def upload(self, request, pk=None):
        product = self.get_object()
        body = UploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        product.manual = body.validated_data["manual"]
        product.save()
        return Response(status=status.HTTP_204_NO_CONTENT)


class ManualView(APIView):
    """A binary (`application/pdf`) response: in a document of its own (`urls_files.py`), so that a generator
    that refuses it fails one row of the table, not every one."""

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, id):
        get_object_or_404(Product, id=id)
        return HttpResponse(b"%PDF-1.4 corpus", content_type="application/pdf")


class TreeView(APIView):
    """A recursive response."""

    @extend_schema(responses=TreeNodeSerializer)
    def get(self, request):
        return Response({"name": "root", "children": [{"name": "leaf", "children": []}]})


class EveryFieldView(APIView):
    """Echoes a body of every field type."""

    @extend_schema(request=EveryFieldSerializer, responses=EveryFieldSerializer)
    def post(self, request):
        body = EveryFieldSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response(EveryFieldSerializer(body.validated_data).data)


class PetView(APIView):
    """A polymorphic body and an unpaginated polymorphic list (`oneOf` with a discriminator)."""

    @extend_schema(responses=PETS)
    def get(self, request):
        return Response([{"pet_type": "cat", "name": "Tom", "lives": 9}, {"pet_type": "dog", "name": "Rex"}])

    @extend_schema(request=PET, responses={201: PET})
    def post(self, request):
        kinds = {"cat": CatSerializer, "dog": DogSerializer}
        pet = kinds.get(request.data.get("pet_type"), CatSerializer)(data=request.data)
        pet.is_valid(raise_exception=True)
        return Response(pet.data, status=status.HTTP_201_CREATED)


class PingView(APIView):
    """Operations without a response body: a 200 without content and a 204."""

    @extend_schema(request=None, responses={200: OpenApiResponse(description="Alive, no body.")})
    def get(self, request):
        return HttpResponse(status=200)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        return Response(status=status.HTTP_204_NO_CONTENT)
