"""Small pieces the apps' pages share (lower apps' views use them; no app's models)."""

from django.core.paginator import Paginator
from django.shortcuts import render


def page_of(request, queryset, per_page=25):
    """A page of ``queryset`` (``?page=``) and the rest of the query string, for the links."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def form_page(request, form, title, back):
    """A form of its own page, with the page it belongs to as its way back unsaved."""
    return render(request, "people/form.html", {"form": form, "title": title, "back": back})
