"""A select of thousands of options (a clinic's doctors) rendered in one pass.

Django's Select renders each option through its own template, which costs about a
millisecond per twenty options; a list of 2,000 doctors took longer than the figures
it filters. This widget writes the same HTML (the options escaped, the chosen one
marked) without a template per option.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        chosen = {"" if v is None else str(v) for v in self.format_value(value)}
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in chosen else "", label)
                for key, label in self._flat_choices()
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)

    def _flat_choices(self):
        for key, label in self.choices:
            if isinstance(label, (list, tuple)):
                yield from label
            else:
                yield key, label
