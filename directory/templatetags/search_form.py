"""The search filters' widgets with Bootstrap's classes, without crispy-forms' per-field
template rendering (the search page is the busiest public page)."""

from django import template

register = template.Library()

WIDGET_CLASSES = {
    "select": "select form-select",
    "number": "numberinput form-control",
}


@register.simple_tag
def bootstrap_widget(field):
    """The field's widget with the classes crispy-forms' Bootstrap 5 pack would give it;
    Django adds aria-invalid and aria-describedby (help text, errors) itself."""
    css = WIDGET_CLASSES.get(field.widget_type, "textinput form-control")
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})
