"""Turn given values (flags, -d, a data file), site knowledge and defaults into one new
document's answers, question by question, through the template's questionnaire.

Nothing here prompts: an interactive caller passes an `Ask` callback, which is called
once per question with a `Prompt` that says everything needed to ask it.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml

from guidewright.copier_compat.questions import MISSING, Choice, Question, plain_value
from guidewright.core import safe_yaml
from guidewright.core.bounded_read import YAML_BYTES, read_bounded
from guidewright.core.errors import AnswerError, InvalidInput, UnsafeYaml
from guidewright.core.yaml_problem import yaml_problem
from guidewright.site.site import Site
from guidewright.template.normalise import normalise_value
from guidewright.template.questionnaire import Questionnaire

DocumentAnswers = dict[str, Any]
LOCATION = ("docs_dir", "section", "slug")  # the tool places documents by these answers


@dataclass(frozen=True)
class Prompt:
    """One question to ask, with everything the asker needs and nothing it must compute."""

    question: Question
    label: str
    default: Any  # parsed, or MISSING
    type_name: str
    choices: list[Choice]
    is_list: bool
    source: str | None  # where suggestions come from: site-sections, site-tags, ...
    check: Callable[[Any], tuple[Any, str | None]]  # raw answer -> (value, problem)
    why: str | None = None  # why a question that was not to be asked is: its default's problem


class Ask(Protocol):
    """The interactive asker: one answer for one prompt."""

    def __call__(self, prompt: Prompt) -> Any: ...


def site_value(source: str, site: Site) -> Any:
    """What a site-provided answer or default is for this site (None: nothing)."""
    if source == "docs-dir":
        return site.docs_dir
    if source == "content-owner":
        return site.config.content_owner
    if source == "git-user":
        name = site.git_user_name()
        return [name] if name else None
    raise AssertionError(source)  # read_block allows only the sources above


def section_at(site: Site, folder: Path) -> str | None:
    """The section `folder` is (or is below), if any: an author who runs guidewright in
    docs/coding means a page of coding."""
    sections = site.sections()
    try:
        relative = folder.resolve().relative_to(site.docs_path.resolve()).as_posix()
    except (ValueError, OSError):
        return None
    while relative not in sections and "/" in relative:
        relative = relative.rpartition("/")[0]
    return relative if relative in sections else None


class _Answering:
    """The answers so far, and the judgement of one more value against them."""

    def __init__(
        self,
        questionnaire: Questionnaire,
        site: Site,
        answers: DocumentAnswers,
        here: str | None = None,
    ) -> None:
        self.questionnaire = questionnaire
        self.site = site
        self.answers = answers
        self.here = here  # the section the author works in: the section's default

    def check(self, question: Question, raw: Any) -> tuple[Any, str | None]:
        """The value made of `raw` and what is wrong with it, if anything."""
        value = plain_value(raw)
        how = self.questionnaire.block.normalise.get(question.name)
        if how is not None:
            # A value not even of the question's type is left for its message to explain.
            with contextlib.suppress(AnswerError):
                value = normalise_value(how, question.parse(value, self.answers))
        value, problem = question.problem(value, self.answers)
        if problem:
            return value, f"{question.name}: {problem}"
        return value, self._site_problem(question, value)

    def _site_problem(self, question: Question, value: Any) -> str | None:
        source = self.questionnaire.block.suggestions.get(question.name)
        if source == "site-documents" and value:  # an empty list needs no walk of the site
            documents = set(self.site.documents())
            for path in value if isinstance(value, list) else [value]:
                if path not in documents:
                    return f"{question.name}: {path} is not a document of {self.site.docs_dir}/"
        if question.name == "slug" and "section" in self.answers:
            target = self.site.document_path(self.answers["section"], value)
            if target.exists() or target.is_symlink():
                shown = target.relative_to(self.site.root).as_posix()
                # What to do first: a prompt's error line is cut at the terminal's edge.
                return f"slug: choose another: {shown} exists (`guidewright update` updates it)"
        return None

    def default(self, question: Question) -> Any:
        """The question's default for this site and these answers, or MISSING."""
        block = self.questionnaire.block
        if self.here is not None and block.suggestions.get(question.name) == "site-sections":
            return self.here
        source = block.site_defaults.get(question.name)
        if source is not None:
            found = site_value(source, self.site)
            if found is not None:
                return found
        try:
            return question.default_value(self.answers)
        except AnswerError:
            return MISSING  # a default derived from a missing answer: reported as missing


def load_data_file(path: Path) -> dict[str, Any]:
    """A YAML mapping of question names to values (a regular file, within YAML's bounds:
    `--data-file /dev/zero` is refused at once)."""
    try:
        text = read_bounded(path, YAML_BYTES)
    except OSError as error:
        raise InvalidInput(f"--data-file: cannot read {path}: {error.strerror}") from error
    try:
        data = safe_yaml.load(text)
    except (yaml.YAMLError, UnsafeYaml) as error:
        raise InvalidInput(f"--data-file: {path}: {yaml_problem(error, text=text)}") from error
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise InvalidInput(
            f"--data-file: {path} must be a YAML mapping of question names to values"
        )
    return data


def refuse_unknown(questionnaire: Questionnaire, given: Mapping[str, Any], origin: str) -> None:
    """Refuse names that are not questions of the template."""
    unknown = sorted(k for k in given if k not in questionnaire.questions)
    if unknown:
        raise InvalidInput(
            f"{origin}: the template has no question {', '.join(unknown)} "
            f"(its questions: {', '.join(questionnaire.questions)})"
        )


def collect_answers(
    questionnaire: Questionnaire,
    content_type: str,
    given: Mapping[str, Any],
    site: Site,
    ask: Ask | None,
    *,
    essential_only: bool = False,
    earlier: Mapping[str, Any] | None = None,
    here: str | None = None,
) -> DocumentAnswers:
    """Every answer of a new document of `content_type`, in the questionnaire's order.

    `given` values must be valid; the others are asked (when `ask` is given) or take their
    default. Without `ask`, every question lacking both is reported at once.
    `essential_only` asks only the block's essential questions, and the others only when
    no default fits. `earlier` holds what the author answered before in this session
    (then edited one answer): kept while it still fits, asked again when it does not.
    `here`: the section the author works in (`section_at`), the section's default.
    """
    block = questionnaire.block
    if content_type not in block.content_types:
        raise InvalidInput(
            f"TYPE: the template has no content type '{content_type}' "
            f"(its types: {', '.join(block.content_types)})"
        )
    type_question = block.type_question
    if given.get(type_question, content_type) != content_type:
        raise InvalidInput(
            f"{type_question}: is {given[type_question]!r}, but this creates a {content_type}"
        )
    earlier = earlier or {}
    state = _Answering(questionnaire, site, {type_question: content_type}, here)
    missing: list[Question] = []
    for question, applies in questionnaire.walk(state.answers):
        name = question.name
        if name == type_question or not applies:
            continue
        if name in block.from_site:
            raw, from_where = site_value(block.from_site[name], site), "the site"
        elif name in given:
            raw, from_where = given[name], "given"
        elif name in earlier:
            raw, from_where = earlier[name], "earlier"
        elif ask is not None and (not essential_only or name in block.essential):
            raw, from_where = ask(_prompt(questionnaire, state, question)), "asked"
        else:
            raw, from_where = state.default(question), "default"
        if raw is MISSING and ask is None:
            missing.append(question)
            continue
        value, problem = (None, "missing") if raw is MISSING else state.check(question, raw)
        if problem and from_where in {"default", "earlier"} and ask is not None:
            # No default fits (a topic with no letters gives no slug, or one taken), or an
            # edit made an earlier answer wrong: the author decides, told why.
            asked = ask(_prompt(questionnaire, state, question, why=problem))
            value, problem = state.check(question, asked)
        elif problem and from_where == "default":
            if missing:
                continue  # most likely derived from a missing answer, which is reported
            flag = questionnaire.flag_of(name)
            problem += f" (the default {raw!r} does not fit; pass {flag})"
        if problem:
            raise InvalidInput(problem)
        state.answers[name] = value
    if missing:
        listed = ", ".join(f"{questionnaire.flag_of(q.name)} ({q.name})" for q in missing)
        raise InvalidInput(f"missing answers, pass: {listed}")
    unused = sorted(set(given) - set(state.answers) - {type_question})
    if unused:
        raise InvalidInput(
            f"{unused[0]}: not a question of a {content_type} (the template does not ask it)"
        )
    return state.answers


def editing_prompt(
    questionnaire: Questionnaire, site: Site, answers: DocumentAnswers, name: str
) -> Prompt:
    """The prompt that changes one answer of `answers`, its current value the default."""
    before = {}
    for question, _ in questionnaire.walk(answers):
        if question.name == name:
            break
        if question.name in answers:
            before[question.name] = answers[question.name]
    state = _Answering(questionnaire, site, before)
    prompt = _prompt(questionnaire, state, questionnaire.questions[name])
    return dataclasses.replace(prompt, default=answers.get(name, prompt.default))


def editable(questionnaire: Questionnaire, answers: DocumentAnswers) -> list[str]:
    """The answers an author may change from the summary (not the type, not the site's)."""
    block = questionnaire.block
    return [n for n in answers if n != block.type_question and n not in block.from_site]


def _prompt(
    questionnaire: Questionnaire, state: _Answering, question: Question, why: str | None = None
) -> Prompt:
    default = state.default(question)
    return Prompt(
        question=question,
        label=question.help_text(state.answers),
        default=default,
        type_name=question.type_name(state.answers),
        choices=question.choice_list(state.answers),
        is_list=questionnaire.is_list(question.name),
        source=questionnaire.block.suggestions.get(question.name),
        check=lambda raw: state.check(question, raw),
        why=why,
    )


def judge_given(
    questionnaire: Questionnaire, content_type: str, given: Mapping[str, Any], site: Site
) -> None:
    """Refuse a given value before the first question is asked, as `--defaults` would,
    judged with what is known then: the site's answers, the other given values and the
    defaults that fit. A validator that reads an answer not known yet (one still to be
    asked) judges the value's type and choices now, and the whole value at the summary."""
    block = questionnaire.block
    state = _Answering(questionnaire, site, {block.type_question: content_type})
    for question, applies in questionnaire.walk(state.answers):
        name = question.name
        if name == block.type_question or not applies:
            continue
        if name in given:
            unknown = [
                n
                for n in _names(questionnaire, question.validator)
                if n != name and n not in state.answers
            ]
            if unknown:
                try:
                    state.answers[name] = question.parse(plain_value(given[name]), state.answers)
                except AnswerError as error:
                    raise InvalidInput(f"{name}: {error}") from error
                continue
            value, problem = state.check(question, given[name])
            if problem:
                raise InvalidInput(problem)
            state.answers[name] = value
            continue
        raw = site_value(block.from_site[name], site) if name in block.from_site else MISSING
        raw = state.default(question) if raw is MISSING or raw is None else raw
        if raw is not MISSING:  # context for later validators; the site is not read for it
            value, problem = question.problem(plain_value(raw), state.answers)
            if problem is None:
                state.answers[name] = value
    unused = [
        name
        for name in sorted(set(given) - set(state.answers) - {block.type_question})
        if name in questionnaire.questions
        and all(  # its `when` is decided already
            n in state.answers for n in _names(questionnaire, questionnaire.questions[name].when)
        )
    ]
    if unused:
        raise InvalidInput(
            f"{unused[0]}: not a question of a {content_type} (the template does not ask it)"
        )


def _names(questionnaire: Questionnaire, setting: Any) -> tuple[str, ...]:
    """The questions a setting (a `when`, a validator) reads."""
    if not isinstance(setting, str):
        return ()
    return tuple(n for n in questionnaire.jinja.names(setting) if n in questionnaire.questions)
