"""Pages of a plain list (JSON rows, not a query) for the ``pager`` macro."""

import math
from dataclasses import dataclass

from flask import request

PER_PAGE = 50


@dataclass
class ListPage:
    """A page of a plain list, shaped like Flask-SQLAlchemy's pagination for the pager."""

    items: list
    page: int
    total: int
    per_page: int = PER_PAGE

    @classmethod
    def of(cls, rows: list, page: int, per_page: int = PER_PAGE) -> "ListPage":
        start = (page - 1) * per_page
        return cls(rows[start:start + per_page], page, len(rows), per_page)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    has_prev = property(lambda self: self.page > 1)
    has_next = property(lambda self: self.page < self.pages)
    prev_num = property(lambda self: self.page - 1)
    next_num = property(lambda self: self.page + 1)


def page_number() -> int:
    """The page a list page asks for (``?page=``), 1 when absent or wrong."""
    return max(1, request.args.get("page", 1, type=int))
