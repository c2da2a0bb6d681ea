"""The department's framework pages: versions, upload, preview and diff, activation."""

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import clock
from ..access import permission_required
from ..domain.framework import FrameworkError
from ..domain.framework_diff import diff
from ..domain.limits import FRAMEWORK_SOURCE_MAX
from ..domain.roles import Permission
from ..domain.thai_dates import fiscal_year
from ..errors import ServiceError
from ..extensions import db
from . import services, workbook
from .forms import ActivateForm, UploadForm
from .problems import readable

bp = Blueprint("frameworks", __name__, url_prefix="/frameworks")
manage = permission_required(Permission.MANAGE_FRAMEWORK)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _index(form, problems=(), status=200):
    """Render the list of versions and the upload form."""
    year = fiscal_year(clock.today())
    return render_template(
        "frameworks/index.html", form=form, problems=problems, versions=services.versions(),
        activations=services.activations(), year=year,
        in_force=services.active_version(year)), status


@bp.route("/")
@manage
def index():
    """Every version (stored and shipped), which one each year uses, and the upload form."""
    return _index(UploadForm())


@bp.route("/upload", methods=["POST"])
@manage
def upload():
    """Check an uploaded file; store it as a new version (not in force until activated)."""
    form = UploadForm()
    if not form.validate_on_submit():
        return _index(form, status=422)
    try:
        # One byte past the limit is enough to refuse a huge file without holding it.
        source = services.read_upload(form.file.data.stream.read(FRAMEWORK_SOURCE_MAX + 1))
        framework, new = services.store(source, current_user)
    except FrameworkError as exc:
        db.session.rollback()
        form.file.errors.append(ServiceError("framework_invalid").message)
        return _index(form, [readable(p) for p in exc.problems], 422)
    except ServiceError as exc:
        db.session.rollback()
        form.file.errors.append(exc.message)
        return _index(form, status=exc.status)
    db.session.commit()
    if new:
        flash(_("บันทึกเกณฑ์รุ่น %(version)s แล้ว ตรวจดูตัวอย่างและความต่างด้านล่าง "
                "แล้วจึงกดใช้", version=framework.version), "success")
    else:
        flash(_("มีเกณฑ์รุ่น %(version)s นี้อยู่แล้ว (เนื้อหาเดียวกัน)",
                version=framework.version), "info")
    return redirect(url_for(".version", version=framework.version))


@bp.route("/template.xlsx")
@manage
def template():
    """The framework in force this fiscal year as the XLSX template, to edit and upload."""
    framework = services.active_framework(fiscal_year(clock.today()))
    return send_file(BytesIO(workbook.template_bytes(framework)), mimetype=XLSX,
                     as_attachment=True, download_name=f"korch-framework-{framework.version}.xlsx")


def _known(version):
    """Return a stored or shipped version's framework; 404 for any other name."""
    try:
        return services.framework_by_version(version)
    except FrameworkError:
        abort(404)


def _version_page(framework, form, status=200):
    """Render a version's preview, its changes against the one in force, and activation."""
    version = framework.version
    this_year = fiscal_year(clock.today())
    if form.fiscal_year.data is None and not form.fiscal_year.errors:
        # Offered: the version's own year, or this one if that has passed.
        form.fiscal_year.data = max(framework.fiscal_year, this_year)
    year = framework.fiscal_year if form.fiscal_year.errors or not form.fiscal_year.data \
        else form.fiscal_year.data
    try:
        current_version = services.active_version(year)
        if current_version == version and year > this_year:
            # A file shipped for a coming year is that year's default: what it
            # changes is seen against the version in force today.
            year, current_version = this_year, services.active_version(this_year)
    except FrameworkError:  # a year before every framework: nothing to compare with
        current_version = None
    changes = diff(services.framework_by_version(current_version), framework) \
        if current_version not in (None, version) else []
    return render_template(
        "frameworks/version.html", framework=framework, form=form, changes=changes,
        current_version=current_version, year=year,
        history=[a for a in services.activations() if a.version == version]), status


@bp.route("/<version>")
@manage
def version(version):
    """Preview a version as the form will show it, and what it changes."""
    return _version_page(_known(version), ActivateForm())


@bp.route("/<version>/activate", methods=["POST"])
@manage
def activate(version):
    """Put a version in force for new assessments from a fiscal year on."""
    framework = _known(version)
    form = ActivateForm()
    if not form.validate_on_submit():
        return _version_page(framework, form, 422)
    services.activate(version, form.fiscal_year.data, current_user)
    db.session.commit()
    flash(_("ใช้เกณฑ์รุ่น %(version)s กับแบบประเมินที่เริ่มใหม่ตั้งแต่ปีงบประมาณ %(year)s แล้ว "
            "แบบประเมินที่เริ่มไปแล้วยังใช้เกณฑ์เดิม", version=version,
            year=form.fiscal_year.data), "success")
    return redirect(url_for(".index"))
