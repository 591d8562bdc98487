"""Page render stage: every page its own WeasyPrint document, in parallel, cached, combined.

Pages are independent units (stage 3 planned each one whole), so each is laid out on its own,
chunks of pages run in warm worker processes, finished pages are cached by a key over their
inputs (`keys`), and the issue PDF is combined from one-page PDFs (`combine`).
"""
from .cache import PageCache, PageEntry
from .chunk import PageJob, render_chunk
from .issue import ComposedIssue, PagedRender, compose_issue, render_issue_files, render_pages, write_issue
from .pool import RenderPool

__all__ = ["ComposedIssue", "PageCache", "PageEntry", "PageJob", "PagedRender", "RenderPool",
           "compose_issue", "render_chunk", "render_issue_files", "render_pages", "write_issue"]
