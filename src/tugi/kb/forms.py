"""Input of the knowledge-base pages. Forms parse and check the shape of the input only; the rules
(who may write, slugs, what counts as filled in) live in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Article, Category, Guide, Visibility


class SearchForm(forms.Form):
    """The FAQ's search box and category filter (portal), also the console's list filters."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    category = forms.SlugField(label=_("Category"), required=False)


class ArticleFilterForm(SearchForm):
    visibility = forms.ChoiceField(label=_("Visibility"), required=False,
                                   choices=[("", _("all"))] + list(Visibility.choices))

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"] = forms.ChoiceField(
            label=_("Category"), required=False, choices=[("", _("all"))] + [(c.slug, c.name) for c in categories]
        )


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=Article._meta.get_field("title").max_length,
                            help_text=_("A question or problem in the words a client would use."))
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(), required=False,
                                      empty_label=_("no category"))
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=Visibility.choices, initial=Visibility.PUBLIC,
        help_text=_("Public articles are shown to clients in the portal; internal ones to the desk only."),
    )
    is_published = forms.BooleanField(label=_("Published"), required=False, initial=True,
                                      help_text=_("Unpublished articles are drafts: only the desk sees them."))
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}),
                           help_text=_("Plain text. An empty line starts a new paragraph; web addresses become links."))

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if categories is not None:
            self.fields["category"].queryset = categories

    @classmethod
    def initial_for(cls, article: Article) -> dict:
        return {"title": article.title, "category": article.category_id, "visibility": article.visibility,
                "is_published": article.is_published, "body": article.body}


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=Category._meta.get_field("name").max_length)
    order = forms.IntegerField(label=pgettext_lazy("sort", "Order"), min_value=0, initial=0,
                               help_text=_("Smaller numbers come first."))


class GuideForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=Guide._meta.get_field("title").max_length)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 22}),
        help_text=_("Plain text. An empty line starts a new paragraph. The support phone and address are "
                    "shown under the text by themselves."),
    )
