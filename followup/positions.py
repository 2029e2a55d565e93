"""A first guess of a position's class from its title (pure); staff confirm or correct it.

The rules live with the register (``registry.positions``), which stores each employee's
guessed class for the public pages' counts; the codes are those of ``PositionClass``.
"""

from registry.positions import guess_position_class

__all__ = ["guess_position_class"]
