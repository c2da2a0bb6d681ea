"""Report files rendered once for what they print, kept in the database.

A district's progress report as PDF takes about 90 ms of CPU (HarfBuzz
shaping, font subsetting), and on a deadline day every officer of a province
downloads the same few reports again and again while committees sync in the
same workers. The file is kept with a digest of everything printed on it and
of the code that prints it; a download whose digest matches is served from the
stored bytes. One row per area, year and format, replaced when the report's
data changes, so the table never grows with downloads. It lives in the
database, not in a worker's memory, so every worker on every host shares it.
"""

import hashlib
import json
from dataclasses import asdict
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from sqlalchemy import and_, select

from ..auth.models import utcnow
from ..inserts import upsert
from .models import ReportFile

_RENDERERS = ("export.py", "../pdf.py", "pdf_text.py", "pdf_direction.py")


@lru_cache(maxsize=1)
def layout_digest():
    """Digest of the code that lays out the report and of fpdf2's and openpyxl's versions.

    A deploy that changes how the report is printed makes every stored file
    stale without anyone having to remember to say so. The versions are read
    from the installed packages' metadata: importing fpdf2 just for its
    version would load the renderer into a worker serving a stored file.
    """
    here = Path(__file__).parent
    digest = hashlib.sha256(f"fpdf2 {version('fpdf2')} openpyxl {version('openpyxl')}"
                            .encode())
    for name in _RENDERERS:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def doc_digest(doc, fmt):
    """Return the digest of a ReportDoc as a file of format ``fmt`` ("pdf" or "xlsx")."""
    printed = json.dumps(asdict(doc), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{layout_digest()}\n{fmt}\n{printed}".encode()).hexdigest()


def rendered(session, area_code, doc, fmt, build):
    """Return (bytes, digest) of the report file, rendered by ``build(doc)`` only if stale.

    Committed at once: a download is a read, and the stored file is the same
    whoever asked for it.
    """
    digest = doc_digest(doc, fmt)
    key = and_(ReportFile.area_code == area_code, ReportFile.fiscal_year == doc.fiscal_year,
               ReportFile.format == fmt, ReportFile.digest == digest)
    body = session.scalar(select(ReportFile.body).where(key))
    if body is not None:
        return bytes(body), digest
    body = build(doc)
    # Two workers rendering the same file at once both store it; the bytes are
    # the same, so either may win.
    upsert(session.connection(), ReportFile.__table__,
           dict(area_code=area_code, fiscal_year=doc.fiscal_year, format=fmt, digest=digest,
                body=body, rendered_at=utcnow()),
           keys=("area_code", "fiscal_year", "format"))
    session.commit()
    return body, digest
