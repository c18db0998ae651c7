"""Which Copier template a site's documents come from."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import guidewright
from guidewright.core.errors import OperationFailed
from guidewright.core.git import git_text
from guidewright.site.site import CONFIG_RELPATH, Site

if TYPE_CHECKING:
    from guidewright.template.versions import TemplateRepository

_URL_PREFIXES = ("gh:", "gl:", "git+", "git@", "https://", "http://", "ssh://", "file://")


BUNDLED = "bundled template"
# What answers files record as the source of a page made with the bundled template:
# `bundled@VERSION` (guidewright's version), never the path of one installation.
BUNDLED_NAME = "bundled@"


@dataclass(frozen=True)
class TemplateSource:
    """Where the template comes from, and who said so."""

    src: str
    origin: str
    vcs_ref: str | None = None

    @property
    def recorded(self) -> str:
        """The source as answers files record it (their `_src_path`): the bundled
        template by its stable name, any other as it is."""
        return bundled_name() if self.origin == BUNDLED else self.src


def bundled_name() -> str:
    """`bundled@VERSION`: the bundled template of guidewright VERSION, the same on any
    installation; a path would name one machine's virtual environment and be committed
    with every answers file. The bundled template has no versions: `check` judges its
    pages by the current template, and `update` refuses them (it needs git versions)."""
    # guidewright's own version, not the installed distribution's metadata: reading that
    # (importlib.metadata) costs some 40 ms a run, as much as a warm `check` of one page.
    return BUNDLED_NAME + guidewright.__version__


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
    return TemplateSource(str(bundled_template()), BUNDLED)


def is_git_source(source: TemplateSource) -> bool:
    """Whether the template is a git repository whose versions count. The bundled copy
    never is: in a development install it is the checkout, but it stands for the wheel's."""
    if source.origin == BUNDLED:
        return False
    return source.src.startswith(_URL_PREFIXES) or (Path(source.src) / ".git").exists()


@contextmanager
def copier_source(source: TemplateSource) -> Iterator[str]:
    """What to hand Copier: the source, or for the bundled template a copy without git, so
    that Copier, too, sees it as unversioned."""
    if source.origin != BUNDLED or not (Path(source.src) / ".git").exists():
        yield source.src
        return
    with tempfile.TemporaryDirectory(prefix="guidewright-bundled-") as scratch:
        copy = Path(scratch)
        for name in ("copier.yml", "copier.yaml"):
            if (Path(source.src) / name).is_file():
                shutil.copy(Path(source.src) / name, copy / name, follow_symlinks=False)
        shutil.copytree(Path(source.src) / "template", copy / "template", symlinks=True)
        yield str(copy)


@dataclass(frozen=True)
class OpenTemplate:
    """A template's files at the version Copier renders, and that version's name."""

    folder: Path
    version: str | None  # `git describe --tags --always`, as Copier records `_commit`
    repository: TemplateRepository | None  # the clone, for reading other versions
    # A local HEAD rendered with its uncommitted changes: Copier then records a commit
    # of its own making, which no clone has.
    working_tree: bool = False


@contextmanager
def open_template(source: TemplateSource) -> Iterator[OpenTemplate]:
    """The template at the version Copier will render: a plain folder as it is, a git
    repository at its newest release tag (else HEAD) or at the source's own ref."""
    if not is_git_source(source):
        folder = Path(source.src)
        if not folder.is_dir():
            raise OperationFailed(f"--template: {source.src} is not a folder or git repository")
        yield OpenTemplate(folder, None, None)
        return
    from guidewright.template.versions import RefOrigin, TemplateRepository  # slow: git

    with tempfile.TemporaryDirectory(prefix="guidewright-template-") as scratch:
        repository = TemplateRepository(source.src, Path(scratch))
        ref = source.vcs_ref or repository.latest_ref
        origin = RefOrigin.GIVEN if source.vcs_ref else RefOrigin.NEWEST
        version = repository.resolve(ref, origin)
        if ref == "HEAD" and Path(source.src).is_dir():
            # Copier renders a local HEAD with its uncommitted changes: the folder itself.
            dirty = bool(git_text("status", "--porcelain", cwd=Path(source.src)).strip())
            yield OpenTemplate(Path(source.src), version.described, repository, dirty)
            return
        yield OpenTemplate(repository.checkout(version), version.described, repository)


@contextmanager
def template_folder(source: TemplateSource) -> Iterator[Path]:
    """`open_template`'s folder."""
    with open_template(source) as template:
        yield template.folder
