"""Proof stage, live: `layout serve` keeps an issue's page proofs up to date in a browser.

`proofs.ProofBook` holds the warm state (layer images by key, page PNGs, errors), `layers` cuts
pages into independently rendered layers, `watch` rebuilds on save, `app` serves the page.
"""
from .app import ProofServer
from .proofs import ProofBook
from .watch import watch

__all__ = ["ProofBook", "ProofServer", "watch"]
