"""Which Copier template a site's documents come from."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
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


def resolve_template(flag: str | None, site: Site | None) -> TemplateSource:
    """`--template`, else the site's configuration, else the bundled template."""
    if flag:
        return TemplateSource(_absolute(flag, Path.cwd()), "--template")
    if site is not None and site.config.template:
        return TemplateSource(_absolute(site.config.template, site.root), CONFIG_RELPATH)
    return TemplateSource(str(bundled_template()), "bundled template")


def is_git_source(src: str) -> bool:
    """Whether Copier takes `src` as a git repository (and so renders a tagged version)."""
    return src.startswith(_URL_PREFIXES) or (Path(src) / ".git").exists()


@contextmanager
def template_folder(source: TemplateSource) -> Iterator[Path]:
    """The template's files at the version Copier will render: a plain folder as it is, a
    git repository at the newest release tag (else HEAD) or the source's own ref."""
    from guidewright.template.versions import TemplateRepository

    if not is_git_source(source.src):
        folder = Path(source.src)
        if not folder.is_dir():
            raise OperationFailed(f"--template: {source.src} is not a folder or git repository")
        yield folder
        return
    with tempfile.TemporaryDirectory(prefix="guidewright-template-") as scratch:
        repository = TemplateRepository(source.src, Path(scratch))
        ref = source.vcs_ref or repository.latest_ref
        if ref == "HEAD" and Path(source.src).is_dir():
            yield Path(source.src)  # Copier renders a local HEAD with its uncommitted changes
            return
        yield repository.checkout(repository.resolve(ref))
