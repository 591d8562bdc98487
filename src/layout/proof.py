"""Stage 7: PNG proofs of a rendered PDF, one per page (pypdfium2); proof rounds: each `layout
proof` is kept as the next numbered proof (with `layout serve`'s, in the cache), and `--since`
writes the proof marked with what changed since an earlier one (`setlines`, `proofmarks`)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .render import write_atomically


def write_proofs(pdf: Path, out_dir: Path, slug: str, dpi: int = 100) -> list[Path]:
    """Rasterise every page of `pdf` to `out_dir/<slug>-p<N>.png`."""
    import pypdfium2 as pdfium
    written = []
    document = pdfium.PdfDocument(str(pdf))
    try:
        for number, page in enumerate(document, 1):
            image = page.render(scale=dpi / 72).to_pil()
            path = out_dir / f"{slug}-p{number}.png"
            write_atomically(path, lambda tmp: image.save(tmp, format="PNG"))
            written.append(path)
    finally:
        document.close()
    return written


# -- proof rounds from the command line (一校, 二校, 三校) and the marked proof (改样) ----------------

class SinceError(Exception):
    """`--since` names no proof this issue has: a usage error (exit 2), said in one line."""


@dataclass
class Since:
    """The earlier proof a new one is compared with: its lines' digests, and what the stamp calls it."""

    lines: dict[str, list[str]]
    label: str


def rounds_of(issue_folder: Path):
    from .pagerender.keys import env_cache_dir
    from .serve.versions import ProofRounds, rounds_folder
    return ProofRounds(rounds_folder(env_cache_dir(), issue_folder))


def since_proof(issue_folder: Path, since: str) -> Since:
    """The proof `since` names: a proof number kept in the cache (by `layout proof` or `layout
    serve`), or the path of an earlier proof or render PDF of this issue."""
    if since.strip().isdigit():
        number = int(since)
        proof = rounds_of(issue_folder).get(number)
        if proof is None:
            kept = [p.number for p in rounds_of(issue_folder).proofs]
            have = f"proofs kept: {kept[0]}-{kept[-1]}" if kept else "no proof of it is kept yet"
            raise SinceError(f"--since {number}: {issue_folder} has no proof {number} ({have})")
        if not proof.lines:
            raise SinceError(f"--since {number}: proof {number} keeps no lines to compare (made by an older "
                             "layout); give its PDF instead")
        return Since(proof.lines, f"第{number}次")
    return Since(_pdf_lines_of(issue_folder, Path(since)), Path(since).name)


def _pdf_lines_of(issue_folder: Path, pdf: Path) -> dict[str, list[str]]:
    """The fingerprint of the proof `pdf`, refused when it is not a PDF of this issue."""
    import pikepdf

    from .model import load_issue
    from .setlines import fingerprint, pdf_lines
    from .theme import load_theme
    issue = load_issue(issue_folder)
    try:
        with pikepdf.open(pdf) as old:
            title = str(old.docinfo.get("/Title", ""))
    except (OSError, pikepdf.PdfError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise SinceError(f"--since {pdf}: not a PDF that can be read ({reason})") from None
    wanted = f"{issue.paper} · {issue.title}"
    if title != wanted:
        raise SinceError(f"--since {pdf}: a PDF of another issue ('{title}', not '{wanted}')")
    return fingerprint(type_area(pdf_lines(pdf), load_theme(issue.theme).grid))


def type_area(lines: list, grid) -> list:
    """The lines and photos in the type area (not the running header, nor a stamp in the margin)."""
    top, bottom = grid.margin_top, grid.margin_top + grid.type_height
    return [line for line in lines if top <= line.y + line.h / 2 <= bottom]


def record_proof(rendered) -> tuple[int, list]:
    """Keep the rendered issue as the next numbered proof; its number and its set lines."""
    from .serve.versions import issue_texts
    from .setlines import fingerprint, plan_lines
    from .theme import load_theme
    issue = rendered.issue
    lines = plan_lines(rendered.plans, load_theme(issue.theme).grid, issue.folder)
    proof = rounds_of(issue.folder).add(0, issue_texts(issue), fingerprint(lines))
    return proof.number, lines


def write_marked_proof(rendered, pdf: Path, out: Path, number: int, lines: list, since: Since,
                       by_pdf: bool):
    """`out`: the proof `pdf` with change bars beside the lines changed since `since` and a 校样
    stamp (proof `number`, now); with `by_pdf`, the new lines are read from `pdf`'s glyphs, as the
    old ones were. Returns the marks."""
    import time

    from .fonts import resolve_fonts
    from .proofmarks import Stamp, marked_proof
    from .setlines import compare, pdf_lines
    from .theme import load_theme
    theme = load_theme(rendered.issue.theme)
    new = type_area(pdf_lines(pdf), theme.grid) if by_pdf else lines
    marks = compare(since.lines, new)
    stamp = Stamp(number, time.strftime("%Y-%m-%d %H:%M"), since.label, len(marks.changed))
    marked_proof(pdf, out, marks, stamp, theme.grid, resolve_fonts(theme)["lead"])
    return marks
