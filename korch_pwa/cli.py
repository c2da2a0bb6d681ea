"""Command-line tasks: geography, demo data, framework checks."""

import click
from flask.cli import AppGroup

from .extensions import db

geo = AppGroup("geo", help="The gazetteer of Thailand (geothai).")
demo = AppGroup("demo", help="Demo data for a laptop.")
framework = AppGroup("framework", help="Assessment framework files.")
users = AppGroup("users", help="People who log in.")


@users.command("add")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Full name, in Thai.")
@click.option("--role", required=True,
              type=click.Choice(["member", "subdistrict_officer", "district_officer",
                                 "province_officer", "department", "admin"]))
@click.option("--area", "areas", multiple=True, help="DOPA code(s) of the person's area.")
@click.option("--position", default="", help="Position, in Thai.")
@click.password_option()
def users_add(username, full_name, role, areas, position, password):
    """Add a person, checking that their areas fit their role and exist."""
    from sqlalchemy import select

    from .auth.models import User, UserScope
    from .domain.roles import check_scopes
    from .org.models import Area

    problems = check_scopes(role, list(areas))
    problems += [f"area {code} is not loaded (flask geo load)" for code in areas
                 if db.session.get(Area, code) is None]
    if db.session.scalar(select(User).where(User.username == username)):
        problems.append(f"username {username} is taken")
    if problems:
        raise click.UsageError("; ".join(problems))
    user = User(username=username, full_name=full_name, role=role, position=position,
                scopes=[UserScope(area_code=code) for code in areas])
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"added {username} ({role}) {' '.join(areas) or '*'}")


@geo.command("load")
@click.option("--province", "provinces", multiple=True, help="Only these province codes.")
@click.option("--bangkok", is_flag=True, help="Include Bangkok (it has no ศอช.ต.).")
def geo_load(provinces, bangkok):
    """Load provinces, districts and subdistricts with DOPA codes."""
    from .org.services import load_geography

    added = load_geography(set(provinces) or None, include_bangkok=bangkok)
    db.session.commit()
    click.echo(f"areas added: {added}")


@demo.command("load")
@click.option("--password", default=None, help="One password for every demo user.")
def demo_load(password):
    """Load Lampang with demo users of every role and print their passwords."""
    from .demo import load_demo

    rows = load_demo(password)
    click.echo("demo users (username / password / role / areas):")
    for username, secret, role, scopes in rows:
        click.echo(f"  {username:<11} {secret:<12} {role:<20} {','.join(scopes) or '*'}")


@framework.command("check")
@click.argument("path", required=False)
def framework_check(path):
    """Validate a framework file (default: every shipped file)."""
    from .domain.framework import FRAMEWORK_DIR, FrameworkError, load_framework_file

    paths = [path] if path else sorted(FRAMEWORK_DIR.glob("*.yaml"))
    failed = False
    for p in paths:
        try:
            fw = load_framework_file(p)
            click.echo(f"{p}: ok, {len(fw.categories)} categories, "
                       f"{len(fw.indicators)} indicators, version {fw.version}")
        except FrameworkError as exc:
            failed = True
            click.echo(str(exc), err=True)
    if failed:
        raise SystemExit(1)


def register_cli(app):
    """Attach the command groups."""
    from .evidence.cli import evidence
    from .notifications.cli import notify
    from .operations.cli import backup

    for group in (geo, demo, framework, users, evidence, backup, notify):
        app.cli.add_command(group)
