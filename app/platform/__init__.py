"""The platform: accounts that belong to no body, and the screens they use.

``models`` (platform accounts, first-admin invitations), ``services``, ``access`` (who may open
the platform's pages; the wall that refuses platform accounts every body page), ``admin`` (the
platform administrators' screens under ``/platform/``), ``invitations`` (a body's first admin
taking up an invitation), ``cli`` (``flask users create-platform-admin``, ``create-oversight``),
``demo`` (the demo platform administrator and province office).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Mount the platform's screens, the invitation page, the wall and the commands."""
    from app.auth.cli import users_cli
    from app.demo import register_demo
    from app.organizations.routing import serve_on_platform
    from app.platform import access, admin, cli, invitations
    from app.platform.demo import seed_demo_platform_accounts

    app.register_blueprint(admin.bp)
    app.register_blueprint(invitations.bp)
    serve_on_platform(app, admin.bp.name)
    app.before_request(access.refuse_platform_accounts_in_bodies)
    users_cli.add_command(cli.create_platform_admin)
    users_cli.add_command(cli.create_oversight)
    users_cli.add_command(cli.reset_platform_two_factor)
    register_demo("demo platform accounts", seed_demo_platform_accounts)
