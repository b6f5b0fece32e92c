"""The one small form of this capability: show a recommendation on its
network's public outcomes page, or take it off (operations.set_public)."""

from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import AnyOf, InputRequired

from ..core.forms import VersionedForm


class PublicFlagForm(VersionedForm):
    """Posted by the recommendation page's button; `is_public` is "1" to
    show it, "0" to take it off."""

    is_public = HiddenField("Public outcomes page", validators=[InputRequired(), AnyOf(("0", "1"))])

    def wanted(self) -> bool:
        return self.is_public.data == "1"
