"""The kernel's factory builds an app from the capabilities it is given, and only those."""

from __future__ import annotations

from app import create_app as create_kernel_app
from rongrian import CAPABILITIES
from tests.conftest import make_config


def _blueprints(capabilities, database_url, tmp_path):
    app = create_kernel_app(make_config(database_url, tmp_path), capabilities)
    return set(app.blueprints), set(app.cli.commands)


def test_the_kernel_alone_registers_no_capability(database_url, tmp_path):
    blueprints, commands = _blueprints((), database_url, tmp_path)
    # sign-in and account administration; the platform's screens and a body's invitation page
    assert blueprints == {"auth", "admin", "platform_admin", "invitation"}
    assert {"db", "users"} <= commands
    assert not {"cases", "seed", "integrity", "line", "notifications", "reports"} & commands


def test_the_composition_root_plugs_in_every_capability_and_its_commands(database_url, tmp_path):
    blueprints, commands = _blueprints(CAPABILITIES, database_url, tmp_path)
    assert {"cases", "complaints", "feedback", "review", "integrity", "line", "reports"} <= {
        name.split("_")[0] for name in blueprints
    }
    assert {"db", "users", "cases", "seed", "integrity", "line", "notifications", "reports"} <= (
        commands
    )


def test_one_capability_can_run_without_the_others(database_url, tmp_path):
    import integrity

    blueprints, commands = _blueprints((integrity.register,), database_url, tmp_path)
    assert "integrity" in blueprints
    assert "cases" not in blueprints and "cases" not in commands


def test_the_kernels_commands_are_the_ones_app_cli_registers(database_url, tmp_path):
    _, commands = _blueprints((), database_url, tmp_path)
    assert commands == {"db", "users", "orgs"}  # app/cli.py: migrations, accounts, organizations
