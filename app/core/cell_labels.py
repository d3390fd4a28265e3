"""Each table cell named by its column's heading, so that on a phone a table becomes
stacked rows that still say what each value is.

On a narrow screen app.css shows every row of a table as a block of its cells, one
under another, each preceded by its ``data-label`` ("Status: approved"). The labels
are written here, once for every page: ``base.html`` passes its content through
:func:`label_cells`, which copies each ``<thead>`` heading onto the cells of its
column. A page writes its tables as ever; a cell that names itself keeps its own
``data-label``. A heading over several columns names each of them; cells spanning
several columns ("None.") and row headings (a ``<th>`` in the first column) need no
label; neither do tables without a ``<thead>``,
whose rows name themselves (a heading then its value).
"""

import html
import re

from markupsafe import Markup

TAG = re.compile(r"<(/?)(table|thead|tbody|tfoot|tr|th|td)\b([^>]*)>", re.IGNORECASE)
TEXT_TAG = re.compile(r"<[^>]*>")
SPAN = re.compile(r"""\bcolspan\s*=\s*["']?(\d+)""", re.IGNORECASE)
HAS_LABEL = re.compile(r"\bdata-label\s*=", re.IGNORECASE)


def _heading_text(inner: str) -> str:
    """A heading's words: tags dropped, entities read, white space collapsed."""
    return " ".join(html.unescape(TEXT_TAG.sub(" ", inner)).split())


def _span(attributes: str) -> int:
    found = SPAN.search(attributes)
    return max(1, int(found.group(1))) if found else 1


class _Table:
    """What is known of one table while its markup is read."""

    def __init__(self) -> None:
        self.in_head = False
        self.headings: list[str] = []  # by column, from the head's last row
        self.row: list[str] = []  # the head row being read
        self.column = 0  # of the next cell in the current row
        self.heading_start: int | None = None  # where the open <th>'s text starts
        self.heading_span = 1


def label_cells(content: str) -> Markup:
    """``content`` with ``data-label="<its column's heading>"`` on each cell of a
    table body or foot (nested tables each their own)."""
    text = str(content)
    if "<thead" not in text.lower():
        return Markup(text)
    out: list[str] = []
    last = 0
    tables: list[_Table] = []
    for match in TAG.finditer(text):
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if name == "table":
            if closing:
                tables and tables.pop()
            else:
                tables.append(_Table())
            continue
        if not tables:
            continue
        table = tables[-1]
        if name == "thead":
            table.in_head = not closing
            if closing and table.row:
                table.headings = table.row
        elif name == "tr" and not closing:
            table.column = 0
            if table.in_head:
                table.row = []
        elif table.in_head and name == "td":
            if not closing:  # a blank corner of the head
                table.row += [""] * _span(attributes)
        elif table.in_head and name == "th":
            if closing and table.heading_start is not None:
                words = _heading_text(text[table.heading_start:match.start()])
                table.row += [words] * table.heading_span
                table.heading_start = None
            elif not closing:
                table.heading_start, table.heading_span = match.end(), _span(attributes)
        elif not closing and name in ("td", "th"):
            span, column = _span(attributes), table.column
            table.column += span
            heading = table.headings[column] if column < len(table.headings) else ""
            if (span == 1 and heading and not HAS_LABEL.search(attributes)
                    and (name == "td" or column > 0)):
                out.append(text[last:match.end() - 1])
                out.append(f' data-label="{html.escape(heading, quote=True)}">')
                last = match.end()
    out.append(text[last:])
    return Markup("".join(out))
