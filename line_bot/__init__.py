"""The LINE adapter: webhook, conversation, messages, rich menu and the development simulator.

Residents file and follow cases by chatting with the organization's LINE Official Account. The
package depends on the domain (``cases``, ``notifications``), never the other way round.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """Plug the LINE webhook, simulator and commands in."""
    from line_bot import simulator_page, webhook
    from line_bot.cli import line_cli

    app.register_blueprint(webhook.bp)
    app.register_blueprint(simulator_page.bp)
    app.cli.add_command(line_cli)
