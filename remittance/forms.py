from __future__ import annotations

from django import forms

MAX_ERA_BYTES = 50 * 1024 * 1024


class EraUploadForm(forms.Form):
    file = forms.FileField(label="835 file (ERA)", help_text="An X12 835 from the payer or clearinghouse.")

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ERA_BYTES:
            raise forms.ValidationError("The file is larger than 50 MB.")
        data: bytes = upload.read()
        return data


class ExceptionMatchForm(forms.Form):
    claim_id = forms.TypedChoiceField(label="Our claim", coerce=int, choices=())
    note = forms.CharField(label="Note", required=False, max_length=200)

    def __init__(self, *args: object, claim_choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["claim_id"].choices = claim_choices  # type: ignore[attr-defined]


class ExceptionDismissForm(forms.Form):
    reason = forms.CharField(label="Why", max_length=300)


class ProviderItemCloseForm(forms.Form):
    reason = forms.CharField(label="How it was settled", max_length=300)


class ExceptionLinesMatchForm(forms.Form):
    """One select per ERA service line (`line_<era line id>`): the billed line it pays."""

    claim_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label="Note", required=False, max_length=200)

    def __init__(
        self,
        *args: object,
        era_line_ids: list[int],
        line_choices: list[tuple[str, str]],
        guesses: dict[int, str | None],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for era_line_id in era_line_ids:
            self.fields[f"line_{era_line_id}"] = forms.ChoiceField(
                label="Billed line",
                choices=[("", "Choose a billed line"), *line_choices],
                initial=guesses.get(era_line_id) or "",
            )
        self.era_line_ids = era_line_ids

    def assignment(self) -> dict[int, int]:
        return {i: int(self.cleaned_data[f"line_{i}"]) for i in self.era_line_ids}
