"""The one CSRF-only form every feature's buttons use."""

from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):  # type: ignore[misc]  # flask_wtf has no type hints
    """A button-only form with just its CSRF token (sign out, revoke, vote, delete…)."""
