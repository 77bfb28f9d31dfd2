"""Serializers of every shape the corpus covers: nested, recursive, polymorphic, every field type."""

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from .models import Category, Product

COLOURS = [("red", "Red"), ("green", "Green"), ("blue", "Blue")]


class CategorySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="category-detail")

    class Meta:
        model = Category
        fields = ["id", "url", "name", "parent"]


class RenameSerializer(serializers.Serializer):
    """The body of a custom action: its own request shape."""

    name = serializers.CharField(max_length=40)
    reason = serializers.CharField(required=False, allow_blank=True)


class ProductSerializer(serializers.ModelSerializer):
    # Nested (read-only) beside the writable key and a hyperlinked relation.
    category_detail = CategorySerializer(source="category", read_only=True, allow_null=True)
    category_url = serializers.HyperlinkedRelatedField(
        view_name="category-detail", source="category", read_only=True, allow_null=True
    )
    colours = serializers.MultipleChoiceField(choices=COLOURS, required=False)
    secret = serializers.CharField(write_only=True, required=False, allow_blank=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "price",
            "lead_time",
            "attributes",
            "status",
            "colours",
            "secret",
            "created",
            "category",
            "category_detail",
            "category_url",
        ]
        read_only_fields = ["created"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["colours"] = sorted(data.get("colours") or [])
        return data

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if "colours" in values:
            values["colours"] = sorted(values["colours"])
        return values


class UploadSerializer(serializers.Serializer):
    """A multipart body: a file and an (optional) image."""

    manual = serializers.FileField()
    picture = serializers.ImageField(required=False)


class TreeNodeSerializer(serializers.Serializer):
    """A recursive serializer: a node holds nodes."""

    name = serializers.CharField()


TreeNodeSerializer._declared_fields["children"] = TreeNodeSerializer(many=True, required=False)


class EveryFieldSerializer(serializers.Serializer):
    """Every DRF field type (the ones drf-spectacular maps without a database of its own)."""

    boolean = serializers.BooleanField()
    char = serializers.CharField(max_length=20)
    email = serializers.EmailField(required=False)
    regex = serializers.RegexField(r"^[a-z]+$", required=False)
    slug = serializers.SlugField(required=False)
    url = serializers.URLField(required=False)
    uuid = serializers.UUIDField(required=False)
    ip = serializers.IPAddressField(required=False)
    integer = serializers.IntegerField(min_value=0, max_value=1000, required=False)
    floating = serializers.FloatField(required=False)
    decimal = serializers.DecimalField(max_digits=6, decimal_places=2, required=False)
    decimal_number = serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=False, required=False)
    date_time = serializers.DateTimeField(required=False)
    date = serializers.DateField(required=False)
    time = serializers.TimeField(required=False)
    duration = serializers.DurationField(required=False)
    choice = serializers.ChoiceField(choices=["a", "b"], allow_blank=True, allow_null=True, required=False)
    int_choice = serializers.ChoiceField(choices=[1, 2, 3], required=False)
    multiple_choice = serializers.MultipleChoiceField(choices=["x", "y"], required=False)
    listing = serializers.ListField(child=serializers.IntegerField(), required=False)
    mapping = serializers.DictField(child=serializers.CharField(), required=False)
    json = serializers.JSONField(required=False)
    nullable_text = serializers.CharField(allow_null=True, required=False)
    read_only_text = serializers.CharField(read_only=True, default="computed")
    write_only_text = serializers.CharField(write_only=True, required=False)
    method = serializers.SerializerMethodField()

    def get_method(self, obj) -> int:
        return 7

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if "multiple_choice" in data:
            data["multiple_choice"] = sorted(data["multiple_choice"])
        return data


class CatSerializer(serializers.Serializer):
    pet_type = serializers.ChoiceField(choices=["cat"])
    name = serializers.CharField()
    lives = serializers.IntegerField(required=False)


class DogSerializer(serializers.Serializer):
    pet_type = serializers.ChoiceField(choices=["dog"])
    name = serializers.CharField()
    good = serializers.BooleanField(required=False)


PET = PolymorphicProxySerializer(
    component_name="Pet",
    serializers=[CatSerializer, DogSerializer],
    resource_type_field_name="pet_type",
)

PETS = PolymorphicProxySerializer(
    component_name="Pet",
    serializers=[CatSerializer, DogSerializer],
    resource_type_field_name="pet_type",
    many=True,
)
