"""How API answers are written: a model as JSON, a page of a list with the
URLs of its neighbours, and the absolute URL of another operation."""

from __future__ import annotations

from flask import Response, request, url_for
from flask_sqlalchemy.pagination import Pagination
from pydantic import BaseModel

from ..core.pagination import ListPage, paginate
from . import schemas as s


def json_response(model: BaseModel, status: int = 200, headers: dict | None = None) -> Response:
    response = Response(model.model_dump_json(), status=status, mimetype="application/json")
    response.headers.update(headers or {})
    return response


def _page_url(number: int) -> str:
    args = request.args.to_dict()
    args["page"] = str(number)
    return url_for(request.endpoint, **(request.view_args or {}), **args, _external=True)


def paged(page_model: type[s.Page], page: Pagination, items: list) -> s.Page:
    pages = max(1, page.pages)  # the API documents at least one page; db.paginate counts none for an empty list
    return page_model(
        items=items, total=page.total, page=page.page, per_page=page.per_page, pages=pages,
        next=_page_url(page.page + 1) if page.has_next else None,
        prev=_page_url(min(page.page - 1, pages)) if page.page > 1 else None,
    )


def paged_list(page_model: type[s.Page], rows: list, query: s.Query, build) -> s.Page:
    """A page of an already loaded (short) list."""
    page = ListPage(rows=rows, page=query.page, per_page=query.per_page, max_per_page=None, error_out=False)
    return paged(page_model, page, [build(r) for r in page.items])


def paged_query(page_model: type[s.Page], select_, query: s.Query, build) -> s.Page:
    page = paginate(select_, per_page=query.per_page, page=query.page)
    return paged(page_model, page, [build(r) for r in page.items])


def api_url(endpoint: str, **values) -> str:
    return url_for(f"api.{endpoint}", **values, _external=True)

