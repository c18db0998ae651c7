"""Which Copier template a site's documents come from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from guidewright.documents.site import CONFIG_RELPATH, Site
from guidewright.errors import OperationFailed

_URL_PREFIXES = ("gh:", "gl:", "git+", "git@", "https://", "http://", "ssh://", "file://")


@dataclass(frozen=True)
class TemplateSource:
    src: str
    origin: str
    vcs_ref: str | None = None


def bundled_template() -> Path:
    """The template shipped in the wheel, or the checkout's own in a development install."""
    packaged = Path(__file__).parents[1] / "bundled_template"
    if (packaged / "copier.yml").is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / "copier.yml").is_file() and (checkout / "template").is_dir():
        return checkout
    raise OperationFailed("this installation of guidewright has lost its bundled template")


def _absolute(src: str, base: Path) -> str:
    if src.startswith(_URL_PREFIXES):
        return src
    return str((base / Path(src).expanduser()).resolve())


def resolve_template(flag: str | None, site: Site) -> TemplateSource:
    """`--template`, else the site's configuration, else the bundled template."""
    if flag:
        return TemplateSource(_absolute(flag, Path.cwd()), "--template")
    if site.config.template:
        return TemplateSource(_absolute(site.config.template, site.root), CONFIG_RELPATH)
    return TemplateSource(str(bundled_template()), "bundled template")
