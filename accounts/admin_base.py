"""The base of every Django Admin page of MedConnect, so a changelist costs the same
with a hundred rows or a million: the page's rows, its filters and its count each take
one query, whatever the table size.

- No second COUNT(*) of the whole table (`show_full_result_count = False`).
- The page count of an unfiltered list over a large PostgreSQL table comes from the
  planner's estimate (pg_class.reltuples) instead of counting every row.
- Filters on a related object list it with its own related rows joined, so a filter
  whose label reads another row (a doctor's name lives on the user) is one query.
- The links of a date hierarchy (years, months, days) come from the first and last
  date (two index lookups) instead of a DISTINCT over every row.
"""

import datetime

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connections, models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext

# Django's own words for a row's checkbox, translated by Django's catalogue.
ROW_CHECKBOX_LABEL = "Select this object for an action - {}"

# Below this many rows an exact count is cheap enough and always right.
ESTIMATE_COUNT_FROM_ROWS = 50_000


def table_row_estimate(model, using):
    """The planner's row estimate of the model's table (PostgreSQL), or None."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
            [connection.ops.quote_name(model._meta.db_table)],
        )
        row = cursor.fetchone()
    # -1 means the table was never analysed: count it.
    return row[0] if row and row[0] is not None and row[0] >= 0 else None


class EstimatedCountPaginator(Paginator):
    """Counts exactly, except an unfiltered list over a large table, which shows the
    estimate (the last page link may then be a few rows off, never an error)."""

    @cached_property
    def count(self):
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is not None and not query.where and not query.distinct:
            estimate = table_row_estimate(queryset.model, queryset.db)
            if estimate is not None and estimate >= ESTIMATE_COUNT_FROM_ROWS:
                return estimate
        return super().count


class RelatedRowsFieldListFilter(admin.RelatedFieldListFilter):
    """The related filter's choices with their own related rows joined: one query for
    the list, not one more per choice whose label reads another row.

    A short list of choices is shown whole. A long one (a clinic's 2,000 doctors)
    becomes a search box: the filter then lists the chosen row and the rows whose
    names match what staff typed (the related Admin's own search fields), at most
    CHOICES_SHOWN of them, so the page stays small and its query cheap."""

    template = "admin/filter_searchable.html"
    CHOICES_SHOWN = 30

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.search_param = f"{field_path}__q"
        values = params.pop(self.search_param, None) or [""]
        value = values[-1] if isinstance(values, list) else values
        self.search_term = str(value).strip()[:100]
        self.searchable = False
        super().__init__(field, request, params, model, model_admin, field_path)

    def _related_admin(self, field, model_admin):
        return model_admin.admin_site._registry.get(field.remote_field.model)

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        queryset = field.remote_field.model._default_manager.complex_filter(
            field.get_limit_choices_to()
        ).select_related(*_label_relations(field.remote_field.model))
        if ordering:
            queryset = queryset.order_by(*ordering)
        target = field.remote_field.get_related_field().attname
        related_admin = self._related_admin(field, model_admin)
        can_search = bool(related_admin and related_admin.get_search_fields(request))
        limit = self.CHOICES_SHOWN
        if can_search and self.search_term:
            self.searchable = True
            matches, may_have_duplicates = related_admin.get_search_results(
                request, queryset, self.search_term
            )
            if may_have_duplicates:
                matches = matches.distinct()
            rows = list(matches[:limit])
        else:
            rows = list(queryset[: limit + 1])
            if len(rows) > limit and can_search:
                self.searchable = True
                rows = []
            else:
                rows = rows[:limit]
        choices = [(getattr(obj, target), str(obj)) for obj in rows]
        chosen = [v for v in (self.lookup_val or []) if v not in {str(c[0]) for c in choices}]
        if chosen:
            try:
                extra = list(queryset.filter(**{f"{target}__in": chosen}))
            except (ValueError, ValidationError):
                extra = []
            choices = [(getattr(obj, target), str(obj)) for obj in extra] + choices
        return choices

    def has_output(self):
        return self.searchable or super().has_output()

    def choices(self, changelist):
        self.kept_parameters = [
            (name, value)
            for name, value in changelist.params.items()
            if name not in (self.search_param, "p")
        ]
        yield from super().choices(changelist)


def _label_relations(model):
    """The forward one-to-one and foreign keys a model's label may read (not null)."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if (f.many_to_one or f.one_to_one) and not f.null
    ]


class _YearsFromRange(models.QuerySet):
    """The date hierarchy's links (years, the months of a year, the days of a month)
    from the first and last value (two index lookups), not a DISTINCT over every row
    of the table or of the year; a period without rows then shows an empty list."""

    def _periods(self, field_name, kind, as_datetimes):
        if kind not in ("year", "month", "day"):
            return None
        bounds = self.aggregate(first=models.Min(field_name), last=models.Max(field_name))
        if bounds["first"] is None:
            return []
        first, last = bounds["first"], bounds["last"]
        if as_datetimes:
            first, last = (
                timezone.localtime(v) if timezone.is_aware(v) else v for v in (first, last)
            )
            first, last = first.date(), last.date()
        days = []
        day = first.replace(month=1, day=1) if kind == "year" else first
        day = day.replace(day=1) if kind == "month" else day
        while day <= last:
            days.append(day)
            if kind == "year":
                day = day.replace(year=day.year + 1)
            elif kind == "month":
                day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
            else:
                day += datetime.timedelta(days=1)
        if not as_datetimes:
            return days
        tz = timezone.get_current_timezone()
        return [datetime.datetime(d.year, d.month, d.day, tzinfo=tz) for d in days]

    def datetimes(self, field_name, kind, *args, **kwargs):
        periods = self._periods(field_name, kind, as_datetimes=True)
        if periods is None:
            return super().datetimes(field_name, kind, *args, **kwargs)
        return periods

    def dates(self, field_name, kind, *args, **kwargs):
        periods = self._periods(field_name, kind, as_datetimes=False)
        if periods is None:
            return super().dates(field_name, kind, *args, **kwargs)
        return periods


_year_classes = {}


def _with_years_from_range(queryset):
    cls = queryset.__class__
    if cls not in _year_classes:
        _year_classes[cls] = type(f"YearsFromRange{cls.__name__}", (_YearsFromRange, cls), {})
    queryset = queryset._chain()
    queryset.__class__ = _year_classes[cls]
    return queryset


class ScaledChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return _with_years_from_range(queryset) if self.date_hierarchy else queryset


class ScaledAdminMixin:
    """Mixed into every ModelAdmin: see the module docstring."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def action_checkbox(self, obj):
        """Django's checkbox of a row, written directly: rendering the checkbox widget's
        template for each of a page's hundred rows was a quarter of the list's time."""
        label = format_html(gettext(ROW_CHECKBOX_LABEL), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )

    def get_changelist(self, request, **kwargs):
        return ScaledChangeList

    def get_list_filter(self, request):
        filters = []
        for item in super().get_list_filter(request):
            if isinstance(item, str):
                field = _field_at(self.model, item)
                if field is not None and field.is_relation and not field.choices:
                    item = (item, RelatedRowsFieldListFilter)
            filters.append(item)
        return filters


def _field_at(model, path):
    field = None
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except Exception:  # a lookup or a method name: leave the filter as written
            return None
        if field.is_relation:
            model = field.related_model
    return field if field is not None and (field.many_to_one or field.many_to_many) else None


class ScaledModelAdmin(ScaledAdminMixin, admin.ModelAdmin):
    """A ModelAdmin whose changelist does not slow down as its table grows."""
