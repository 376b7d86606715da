"""Demo data: what ``flask seed --demo`` adds, registered by each capability.

The kernel names no capability, so each one registers its own demo seeder in its
``register(app)``; they run in the order the composition root plugs the capabilities in.
"""

from __future__ import annotations

from collections.abc import Callable

# Adds its demo rows (idempotently) and returns how many it created.
DemoSeeder = Callable[[], int]
# By label: an app built again (the tests build many) replaces its seeders instead of adding more.
_demos: dict[str, DemoSeeder] = {}


def register_demo(label: str, seeder: DemoSeeder) -> None:
    """Have ``flask seed --demo`` run ``seeder`` and print ``label: <count>``."""
    _demos[label] = seeder


def registered_demos() -> list[tuple[str, DemoSeeder]]:
    """The demo seeders, in the order they were first registered."""
    return list(_demos.items())
