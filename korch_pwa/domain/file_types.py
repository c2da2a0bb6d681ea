"""Which uploads the product accepts, judged by their first bytes.

A few fixed signatures are all we accept, so they are written out here rather
than pulling in a sniffing library whose hundred other types we would refuse.
"""

PDF, JPEG, PNG, WEBP = "application/pdf", "image/jpeg", "image/png", "image/webp"

SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", WEBP: "webp"}
# Order scans and minutes (korch_pwa/files) are PDF, JPEG or PNG; evidence
# photos may also be WebP, which phones' canvases write smaller than JPEG.
SCAN_TYPES = frozenset({PDF, JPEG, PNG})
EVIDENCE_TYPES = frozenset({PDF, JPEG, PNG, WEBP})
XLSX_SIGNATURE = b"PK\x03\x04"  # an XLSX is a ZIP archive


def sniff(head):
    """Return the content type of ``head`` (a file's first bytes) or None."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    # RIFF, a 4-byte length, then the form type: a WebP is a RIFF of form WEBP.
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def looks_like_xlsx(head):
    """Return True when ``head`` starts like a ZIP (and so possibly an XLSX)."""
    return head.startswith(XLSX_SIGNATURE)
