"""E-paper stage: the 数字报, a static site made from the same render as the print PDF.

`layout epaper ISSUE_DIR -o SITE_DIR` writes `index.html` (a thumbnail per page with its 版次
and 版名), a page view per page (the page at 150 dpi with a link over every story module, from
the page plan), and an article page per story. Works offline; no script is needed to read it.
Modules: `articles` (the stories' texts), `pages` (page views and their areas), `images` (page
images and photos), `templates` (HTML and CSS), `site` (the whole, written at once).
"""
from .site import Site, build_site, replace_problem

__all__ = ["Site", "build_site", "replace_problem"]
