"""A finding of `check`: where, which key or rule, what is wrong, and how bad it is."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

ERROR, WARNING = "error", "warning"

# Every finding's rule, by code: `--ignore CODE` and the site's `check: ignore:` turn one off.
RULES: dict[str, str] = {
    "GW001": "a file that cannot be read, or is not UTF-8",
    "GW002": "frontmatter that is not valid YAML or not a mapping",
    "GW003": "a content page with no guidewright frontmatter (listed once; an error with --strict)",
    "GW101": "a value the template's question refuses (type, choice, validator)",
    "GW102": "a key the document's content type requires is missing",
    "GW103": "a question's key in a content type that does not ask it",
    "GW104": "a key no question of the template asks",
    "GW105": "a content type the template does not declare",
    "GW201": "a link to a page or file that does not exist",
    "GW202": "a listed document (prerequisites, related content) that does not exist",
    "GW301": "a [placeholder] left in a published document",
    "GW302": "an unresolved merge conflict (<<<<<<<, =======, >>>>>>> outside code)",
    "GW401": "a review date that has passed",
    "GW402": "a tag no other document uses (with the known tag it most likely means)",
    "GW501": "a document without recorded answers (`update` cannot update it)",
    "GW502": "recorded answers that cannot be used, or whose document is gone",
    "GW503": "a document made with an older template version, or one that cannot be read",
    "GW504": "a frontmatter value that differs from the page's recorded answer: text the "
    "template makes from it is stale until `update`",
    "GW505": "a page whose content type differs from the type it was made as (`update` refuses it)",
    "GW506": "a document whose recorded template version is refused (a setting leaves the "
    "template): judged by the current template",
    "GW601": "a list MkDocs renders otherwise than CommonMark: as text after a paragraph line, "
    "or not nested (Python-Markdown needs 4 spaces)",
    "GW602": "adjacent `**Label**:` lines MkDocs joins into one paragraph (a blank line keeps "
    "them apart)",
}


@dataclass(frozen=True, order=True)
class Problem:
    """One finding of `check`."""

    path: str
    line: int
    field: str
    message: str
    severity: str = ERROR
    code: str = ""
    column: int = 0  # 1-based; 0 where only the line is known

    def as_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data."""
        return asdict(self)
