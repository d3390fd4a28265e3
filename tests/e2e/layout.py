"""What a phone shows of a page: nothing wider than the screen and no text cut off.

At 390 px the page never scrolls sideways (``document.documentElement.scrollWidth`` at
most 390), no text is cut off, neither clipped by a box that hides what overflows it
nor lying off the screen where nothing scrolls to it, and nothing scrolls sideways in
a box of its own either: every table becomes stacked rows (app.css, each cell named by
its column, app/core/cell_labels.py) and none is wider than the screen. The axe walk
(test_accessibility.py) measures every page it checks at phone width with this."""

WIDTH = 390

# For each text on the page: the box around it that stops it (overflow other than
# visible); text beyond that box is cut off when the box hides it (hidden, clip) and
# has to be scrolled to sideways when it scrolls (auto, scroll); text beyond the screen
# with no such box makes the page wider. Visually hidden text (a 1 px clipped box, for
# screen readers) is meant to be hidden, and so is the skip link until it is focused.
# Then each table: none wider than the screen or than itself (columns kept, or a cell
# too wide for its stacked row).
MEASURE = """(width) => {
  const problems = [], scrolled = new Set();
  const doc = document.documentElement;
  if (doc.scrollWidth > width) problems.push(`the page is ${doc.scrollWidth}px wide`);
  const hidden = el => { for (let e = el; e; e = e.parentElement) {
      const r = e.getBoundingClientRect(), s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden') return true;
      if (r.width <= 1 && r.height <= 1 && s.overflow !== 'visible') return true; }
    return false; };
  const box = el => { for (let e = el; e && e !== doc; e = e.parentElement) {
      const x = getComputedStyle(e).overflowX;
      if (x !== 'visible') return [e, x]; }
    return [null, 'visible']; };
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim()
     ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || ['SCRIPT', 'STYLE', 'OPTION', 'TITLE'].includes(el.tagName)) continue;
    if (el.closest('.skip-link')) continue;  // off the screen until focused, then on it
    const range = document.createRange(); range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width > 0);
    if (!rects.length || hidden(el)) continue;
    const left = Math.min(...rects.map(r => r.left)), right = Math.max(...rects.map(r => r.right));
    const [clip, kind] = box(el);
    const edge = clip ? clip.getBoundingClientRect() : {left: 0, right: width};
    const border = clip ? (clip.getBoundingClientRect().width - clip.clientWidth) / 2 : 0;
    if (left >= edge.left - 1 && right <= edge.right - border + 1) continue;
    if (kind === 'auto' || kind === 'scroll') { scrolled.add(describe(clip)); continue; }
    problems.push(`"${text.slice(0, 40)}" in ${describe(el)} is cut off (${Math.round(left)}` +
                  `-${Math.round(right)}px${clip ? ', inside ' + describe(clip) : ''})`);
  }
  scrolled.forEach(clip => problems.push(`${clip} scrolls sideways`));
  for (const table of document.querySelectorAll('main table')) {
    const r = table.getBoundingClientRect();
    if (!hidden(table) && (r.right > width + 1 || table.scrollWidth > table.clientWidth + 1))
      problems.push(`${describe(table)} is ${Math.round(Math.max(r.width, table.scrollWidth))}` +
                    `px wide`);
  }
  return problems.slice(0, 5);
}"""


def measure(page, label: str) -> list[str]:
    """The page's problems at phone width (the page already at ``WIDTH``)."""
    return [f"{label}: {problem}" for problem in page.evaluate(MEASURE, WIDTH)]
