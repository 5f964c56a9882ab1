import re

from django import forms

from inputs.choices import LongSelect


class _Form(forms.Form):
    doctor = forms.TypedChoiceField(required=False, coerce=int, widget=LongSelect)
    plain = forms.TypedChoiceField(required=False, coerce=int)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doctor"].choices = choices
        self.fields["plain"].choices = choices


def _options(html):
    return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)


def test_a_long_select_shows_what_djangos_select_shows():
    choices = [("", "All doctors"), *[(n, f"Dr. <b>{n}</b> & Co") for n in range(1, 300)]]
    form = _Form({"doctor": "42", "plain": "42"}, choices=choices)
    fast, plain = str(form["doctor"]), str(form["plain"])
    assert _options(fast) == _options(plain)
    assert len(_options(fast)) == 300
    assert '<option value="42" selected>Dr. &lt;b&gt;42&lt;/b&gt; &amp; Co</option>' in fast
    assert 'name="doctor"' in fast and 'id="id_doctor"' in fast
    assert "<b>" not in fast


def test_nothing_chosen_marks_the_empty_choice():
    form = _Form(choices=[("", "All"), (1, "One")])
    assert _options(str(form["doctor"])) == [("", " selected", "All"), ("1", "", "One")]
