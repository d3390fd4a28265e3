"""Every table cell of a page carries its column's heading (``data-label``), which a
phone shows before the value when the table becomes stacked rows (app.css); the
browser test at 390 px is tests/e2e/test_phone_width.py."""

import re

from app.core.cell_labels import label_cells
from app.extensions import db
from tests.conftest import login


def test_each_body_and_foot_cell_is_named_by_the_heading_of_its_column():
    page = label_cells(
        '<table><thead><tr><th>Name &amp; "code"</th><th colspan="2">Hours</th>'
        '<th><span class="visually-hidden">Actions</span></th></tr></thead>'
        '<tbody><tr><td>A</td><td class="num">1</td><td>2</td><td data-label="Own">x</td></tr>'
        '<tr><td colspan="4">None.</td></tr>'
        '<tr><th scope="row">Row</th><td>3</td><td>4</td><td>5</td></tr></tbody>'
        '<tfoot><tr><th colspan="2">Total</th><th>9</th><td></td></tr></tfoot></table>')
    assert ('<td data-label="Name &amp; &quot;code&quot;">A</td>'
            '<td class="num" data-label="Hours">1</td><td data-label="Hours">2</td>'
            '<td data-label="Own">x</td>') in page  # a cell naming itself keeps its name
    assert '<td colspan="4">None.</td>' in page  # across the table: no one column's
    assert '<th scope="row">Row</th><td data-label="Hours">3</td>' in page
    assert '<th colspan="2">Total</th><th data-label="Hours">9</th>' in page
    assert '<td data-label="Actions"></td>' in page


def test_nested_tables_name_their_own_cells_and_tables_without_a_head_are_left_alone():
    page = label_cells(
        "<table><thead><tr><th>Outer</th><th>Second</th></tr></thead><tbody><tr><td>"
        "<table><thead><tr><th>Inner</th></tr></thead><tbody><tr><td>i</td></tr></tbody></table>"
        "</td><td>o</td></tr></tbody></table>"
        "<table><tr><th>Kind</th><td>value</td></tr></table>")
    assert ('<td data-label="Inner">i</td></tr></tbody></table></td>'
            '<td data-label="Second">o') in page
    assert "<tr><th>Kind</th><td>value</td></tr>" in page


def test_a_page_names_its_cells_in_the_users_language(app, world):
    world["admin"].language = "ru"
    db.session.commit()
    client = app.test_client()
    login(client, world["admin"])
    html = client.get("/admin/institutions").get_data(as_text=True)
    row = html.split("<tbody>")[1].split("</tr>")[0]
    assert re.findall(r'<td data-label="([^"]+)"', row) == [
        "Код", "Наименование", "Регион", "Вид", "Режим"]
