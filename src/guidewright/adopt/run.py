"""One `adopt` run: the site made ready, the template opened once, every page planned.

A site that has never seen guidewright (its own mkdocs.yml or zensical.toml, no
.guidewright/) gets the site configuration `init` would write for it, and nothing else:
what its engine's configuration lacks is said, not edited. That configuration is written
with the pages, in their write session: a run stopped before (Ctrl-C at a question)
leaves the site exactly as it was.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guidewright.adopt.again import pages_before_adoption
from guidewright.adopt.answers import Answer, Inputs, PagePlan, Refused, plan_page, select_pages
from guidewright.adopt.write import AdoptedPage, AdoptWritten, render_adopted, write_adopted
from guidewright.copier_compat.render import TemplateRenderer
from guidewright.core.errors import InvalidInput, OperationFailed, UnusableAnswers
from guidewright.core.parallel import map_on_all_cores
from guidewright.site.answers_files import read_all_recorded, read_recorded
from guidewright.site.config_edit import add_site_tags, create_config, remember_content_owner
from guidewright.site.history import nav_titles, read_history
from guidewright.site.init_site import NOT_CONTENT
from guidewright.site.site import (
    CONFIG_RELPATH,
    Site,
    SiteConfig,
    load_site,
)
from guidewright.site.write_session import WriteSession
from guidewright.template.questionnaire import Questionnaire, load_questionnaire
from guidewright.template.source import open_template, resolve_template

UNVERSIONED = (
    "the template records no version ({src}): these pages can never be updated; point the "
    "site at a versioned template (a git repository with tags) with --template"
)


@dataclass
class AdoptRun:
    """Everything one run knows: the pages planned and the pages refused."""

    site: Site
    questionnaire: Questionnaire
    renderer: TemplateRenderer
    src_path: str
    commit: str | None
    inputs: Inputs
    plans: list[PagePlan] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # for the author: what the site lacks
    # The site configuration a site new to guidewright gets, written with the pages.
    new_config: SiteConfig | None = None
    # Set when no review can change a plan: each ready page is rendered as it is planned,
    # on the same workers (one pass over the site, not two).
    render_while_planning: bool = False
    rendered: dict[str, AdoptedPage | str] = field(default_factory=dict)  # by document
    rendering: list[PagePlan] = field(default_factory=list)  # what the workers render

    def replan(self, document: str, name: str, value: Any) -> PagePlan | Refused:
        """Plan one page again with one answer changed (the review table's edit)."""
        self.inputs.edits.setdefault(document, {})[name] = value
        relpath = document.removeprefix(self.site.docs_dir + "/")
        found = plan_page(self.site, relpath, self.inputs)
        self.rendered.pop(document, None)
        index = next(i for i, p in enumerate(self.plans) if p.document == document)
        if isinstance(found, PagePlan):
            self.plans[index] = found
        return found

    def write(self, pages: list[AdoptedPage]) -> AdoptWritten:
        """Write the pages, each with its answers file, and remember what the site keeps
        of them, in one write session."""
        if self.new_config is not None:  # its own session: the pages' needs .guidewright/
            with WriteSession(self.site, "adopt") as session:
                create_config(session, self.new_config)  # made meanwhile: that one holds
        with WriteSession(self.site, "adopt") as session:
            done = write_adopted(session, pages)
            self._remember(session, done.written)
        return done

    def _remember(self, session: WriteSession, written: list[str]) -> None:
        """What the site keeps of the pages written, as `new` keeps it: the first content
        owner as the site's default, every tag as known."""
        block = self.questionnaire.block
        kept = set(written)
        plans = [p for p in self.plans if p.document in kept]
        owners = [name for name, source in block.site_defaults.items() if source == "content-owner"]
        first = next(
            (
                a.value
                for p in plans
                for n in owners
                if isinstance(a := p.answers.get(n), Answer) and isinstance(a.value, str)
            ),
            None,
        )
        if first is not None:  # the first one only, as `new` keeps it
            remember_content_owner(session, first)
        tags = block.tags_question
        if tags:
            found = [t for p in plans for t in (p.answers[tags].value if tags in p.answers else [])]
            add_site_tags(session, [t for t in dict.fromkeys(found) if isinstance(t, str)])

    def render(self, plans: list[PagePlan]) -> list[AdoptedPage]:
        """What the ready pages become (rendered on every core for a large site), in
        their order; the first that cannot be rendered fails the run."""
        global _RUN
        _RUN = self
        # The workers inherit the plans when they are forked: only their numbers are sent.
        self.rendering = [p for p in plans if p.document not in self.rendered]
        numbers = range(len(self.rendering))
        found = map_on_all_cores(_render_one, numbers, minimum=PARALLEL_FROM)
        for plan, item in zip(self.rendering, found, strict=True):
            self.rendered[plan.document] = item
        pages: list[AdoptedPage] = []
        for plan in plans:
            item = self.rendered[plan.document]
            if isinstance(item, str):
                raise OperationFailed(item)
            pages.append(item)
        return pages


PARALLEL_FROM = 200  # below this, starting workers costs more than it saves
_RUN: AdoptRun | None = None  # the run the forked workers inherit


def _plan_one(relpath: str) -> tuple[PagePlan | Refused, AdoptedPage | str | None]:
    assert _RUN is not None
    run = _RUN
    plan = plan_page(run.site, relpath, run.inputs)
    if run.render_while_planning and isinstance(plan, PagePlan) and plan.ready:
        return plan, _render(run, plan)
    return plan, None


def _render_one(number: int) -> AdoptedPage | str:
    assert _RUN is not None
    return _render(_RUN, _RUN.rendering[number])


def _render(run: AdoptRun, plan: PagePlan) -> AdoptedPage | str:
    try:
        return render_adopted(plan, run.questionnaire, run.renderer, run.src_path, run.commit)
    except OperationFailed as error:
        return error.message


def _prepare_site(site: Site, template_flag: str | None) -> tuple[Site, SiteConfig | None]:
    """The site as adopt sees it, and the configuration `init` writes for a site that has
    none yet (written with the pages, never before)."""
    if (site.root / CONFIG_RELPATH).exists():
        return site, None
    config = SiteConfig(template=template_flag, not_content=list(NOT_CONTENT))
    return dataclasses.replace(site, config=config), config


def _adopted_before(site: Site, pages: list[str], run: AdoptRun) -> list[str]:
    """`--again`: the pages whose answers file can be read, each with what it recorded and
    its frontmatter before adoption (in `run.inputs.again`); the others are refused."""
    by_document = {r.document: r for r in read_all_recorded(site, placing_only=True)[0]}
    readable = []
    for relpath in pages:
        document = f"{site.docs_dir}/{relpath}"
        try:
            recorded = read_recorded(site, by_document[document].answers_relpath)
        except UnusableAnswers as error:
            run.refused.append(Refused(document, error.message))
            continue
        readable.append(recorded)
    for adopted in pages_before_adoption(site, readable):
        run.inputs.again[adopted.recorded.document] = adopted
    return [r.document.removeprefix(site.docs_dir + "/") for r in readable]


@contextmanager
def open_run(
    dest: Path,
    template_flag: str | None,
    paths: list[Path] | None,
    inputs: dict[str, Any],
    render_while_planning: bool = False,
    again: bool = False,
) -> Iterator[AdoptRun]:
    """The run, planned; `inputs` are Inputs' fields besides the questionnaire. With
    `render_while_planning` (no review will change a plan), ready pages are rendered too;
    with `again`, the pages adopted before are planned again."""
    site, new_config = _prepare_site(load_site(dest), template_flag)
    source = resolve_template(template_flag, site)
    with open_template(source) as opened:
        questionnaire = load_questionnaire(opened.folder.resolve())
        renderer = TemplateRenderer(opened.folder)
        type_flag = inputs.get("content_type")
        if type_flag is not None and type_flag not in questionnaire.block.content_types:
            raise InvalidInput(
                f"--type: the template has no content type '{type_flag}' "
                f"(its types: {', '.join(questionnaire.block.content_types)})"
            )
        run_inputs = Inputs(
            questionnaire,
            history=read_history(site),
            titles=nav_titles(site),
            docs_dir=site.docs_dir,
            **inputs,
        )
        run = AdoptRun(
            site,
            questionnaire,
            renderer,
            source.recorded,
            opened.version,
            run_inputs,
            new_config=new_config,
            render_while_planning=render_while_planning,
        )
        if opened.version is None:
            run.notes.append(UNVERSIONED.format(src=source.src))
        pages, run.refused = select_pages(site, paths, again)
        if again:
            pages = _adopted_before(site, pages, run)
        global _RUN
        _RUN = run
        try:
            # The first page is planned here, before the workers are forked: they inherit
            # the template's Jinja compiled and the modules a page needs imported, which
            # each would otherwise compile and import again.
            planned = [_plan_one(relpath) for relpath in pages[:1]]
            planned += map_on_all_cores(_plan_one, pages[1:], minimum=PARALLEL_FROM)
            for found, rendered in planned:
                if isinstance(found, Refused):
                    run.refused.append(found)
                else:
                    run.plans.append(found)
                    if rendered is not None:
                        run.rendered[found.document] = rendered
            taken = {f"{site.docs_dir}/{p}" for p in pages} | {r.document for r in run.refused}
            unused = sorted(set(run_inputs.per_page) - taken)
            if unused:  # said, never dropped in silence: a typo, or a page adopted already
                shown = ", ".join(unused[:5]) + (
                    f" and {len(unused) - 5} more" if len(unused) > 5 else ""
                )
                run.notes.append(
                    f"--data-file: not adopted in this run (no such page without "
                    f"recorded answers): {shown}"
                )
            yield run
        finally:
            # Held for the workers only: the run is freed with its caller's (or when
            # planning fails), not kept to the interpreter's exit, whose last
            # collection would walk it all again.
            _RUN = None
