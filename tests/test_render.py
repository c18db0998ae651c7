"""What the wizards write: goldens, the seeds' structure kept, Copier's bytes reproduced."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from support import GUIDE_ARGS, REPO, TUTORIAL_ARGS, run_cli, seed_text

from guidewright.copier_compat.render import TemplateRenderer
from guidewright.markdown import frontmatter

GOLDEN = Path(__file__).parent / "golden"


def body_structure(text: str) -> dict[str, object]:
    """Headings in order and counts of the blocks that must survive from the seeds."""
    parsed = frontmatter.split(text)
    assert parsed is not None
    body = parsed[1]
    lines = body.split("\n")
    headings, in_code = [], False
    for line in lines:
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            headings.append(line)
    return {
        "headings": headings,
        "fences": sum(line.startswith("```") for line in lines),
        "table_rows": sum(line.startswith("|") for line in lines),
        "admonitions": [line for line in lines if line.startswith("!!!")],
        "rules": sum(line == "---" for line in lines),
        "checklists": sum(line.lstrip().startswith("- [ ]") for line in lines),
    }


@pytest.mark.parametrize(
    ("args", "relpath", "golden"),
    [
        (GUIDE_ARGS, "docs/system-design/caching-strategies.md", "guide.md"),
        (TUTORIAL_ARGS, "docs/coding/rate-limiter.md", "tutorial.md"),
    ],
)
def test_golden_documents(
    args: tuple[str, ...], relpath: str, golden: str, site: Path, home: Path
) -> None:
    result = run_cli(*args, "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 0, result.stderr
    written = (site / relpath).read_text("utf-8")
    if os.environ.get("GUIDEWRIGHT_UPDATE_GOLDEN"):
        (GOLDEN / golden).write_text(written, "utf-8")
    assert written == (GOLDEN / golden).read_text("utf-8")


@pytest.mark.parametrize("content_type", ["guide", "tutorial"])
def test_seed_structure_survives(content_type: str) -> None:
    generated = (GOLDEN / f"{content_type}.md").read_text("utf-8")
    seed = seed_text(content_type)
    got, want = body_structure(generated), body_structure(seed)
    title = yaml.safe_load(frontmatter.split(generated)[0])["title"]  # type: ignore[index]
    want["headings"] = [f"# {title}", *want["headings"][1:]]  # type: ignore[index]
    extra_checklists = generated.count("- [ ] Completed [") - seed.count("- [ ] Completed [")
    want["checklists"] += max(extra_checklists, 0)  # type: ignore[operator]
    want["checklists"] += generated.count("- [ ] Can apply ")  # type: ignore[operator]
    assert got == want


# What the wizards' answers put in place of a seed's placeholder text (GUIDE_ARGS and
# TUTORIAL_ARGS): a line that differs from the seed in its words must hold one of these
# (the learning objectives under "Learning Outcomes", the skills under "Practical Skills").
OBJECTIVES = ("Explain cache invalidation", "Choose a write policy", "Build a token bucket")
SKILLS = ("- [ ] Can apply rate limiting", "- [ ] Can apply load testing")
ANSWERED = (
    "Caching Strategies",
    "Rate Limiter",
    "](../",
    "minutes",
    "**advanced**",
    *OBJECTIVES,
    *SKILLS,
)
# ... and what they replace: placeholders, the seed's example times and difficulty, and
# the seed's generic learning outcomes (kept only for a page given no objectives).
GENERIC_OUTCOMES = (
    "- **Core Mastery**:",
    "- **Interview Application**:",
    "- **Level-Appropriate Depth**:",
    "- **Real-World Context**:",
    "- **Practical Skills**:",
    "- **Interview Confidence**:",
    "- **Production Quality**:",
    "- **Technical Leadership**:",
)
REPLACED = ("[", "minutes", "**intermediate**", *GENERIC_OUTCOMES)


def _nonblank_lines(text: str) -> list[str]:
    body = frontmatter.split(text)
    assert body is not None
    return [line for line in body[1].split("\n") if line.strip()]


@pytest.mark.parametrize("content_type", ["guide", "tutorial"])
def test_only_blank_lines_and_indentation_differ_from_the_seed(content_type: str) -> None:
    """The seed's words, headings and order stay: besides the answers filled in (and the
    usage notes made a comment), the template may only add or remove blank lines and
    change indentation, which is what MkDocs needs to render the seed's lists as lists."""
    seed = _nonblank_lines(seed_text(content_type))
    generated = _nonblank_lines((GOLDEN / f"{content_type}.md").read_text("utf-8"))
    matcher = difflib.SequenceMatcher(
        None, [line.strip() for line in seed], [line.strip() for line in generated], autojunk=False
    )
    reindented = 0
    for tag, seed_start, seed_end, start, end in matcher.get_opcodes():
        if tag == "equal":
            reindented += sum(
                seed[i] != generated[j]
                for i, j in zip(range(seed_start, seed_end), range(start, end), strict=True)
            )
            continue
        # Links to pages a new site does not have are left as their placeholder text.
        unlinked = {re.sub(r"\]\([^)]*\)", "]", line) for line in seed[seed_start:seed_end]}
        for line in generated[start:end]:
            assert (
                line in ("<!--", "-->", "---")
                or line in unlinked
                or any(answer in line for answer in ANSWERED)
            ), line
        for line in seed[seed_start:seed_end]:
            assert line == "---" or any(replaced in line for replaced in REPLACED), line
    # The guide's interview questions nest their points with 4 spaces, as Python-Markdown needs.
    assert reindented == (12 if content_type == "guide" else 0)


@pytest.mark.parametrize("content_type", ["guide", "tutorial"])
def test_frontmatter_keeps_the_seed_keys_order_and_comments(content_type: str) -> None:
    generated = frontmatter.split((GOLDEN / f"{content_type}.md").read_text("utf-8"))
    seed = frontmatter.split(seed_text(content_type))
    assert generated and seed

    def keys_and_comments(text: str) -> list[str]:
        shape = []
        for line in text.splitlines():
            if match := re.match(r"^([a-z_]+):", line):
                shape.append(
                    match.group(1) + ("  #" + line.split("  #", 1)[1] if "  #" in line else "")
                )
            elif line.startswith("#"):
                shape.append(line)
        return shape

    assert keys_and_comments(generated[0]) == keys_and_comments(seed[0])


def test_usage_instructions_are_a_comment_and_mojibake_is_gone() -> None:
    guide = (GOLDEN / "guide.md").read_text("utf-8")
    assert "<!--\n**Template Usage Instructions**:" in guide
    assert guide.rstrip().endswith("-->")
    assert "üéØ" not in guide and "## 🎯 What You'll Master" in guide
    assert "\u201a\u00dc\u00ed" not in guide and "→" in guide  # mojibake of the arrow


def test_links_are_relative_to_the_new_file() -> None:
    guide = (GOLDEN / "guide.md").read_text("utf-8")
    assert "- [ ] Completed [Fundamentals](../fundamentals/index.md)" in guide
    assert "- [ ] Review [Topic Problems](../practice/topic-problems.md)" in guide
    tutorial = (GOLDEN / "tutorial.md").read_text("utf-8")
    assert "- [Home](../index.md)" in tutorial
    assert "consider completing [Fundamentals](../fundamentals/index.md) first." in tutorial


@pytest.mark.differential
def test_renderer_matches_copier_on_the_wizard_output(site: Path, home: Path) -> None:
    result = run_cli(*TUTORIAL_ARGS, "--dest", str(site), cwd=site, home=home)
    assert result.returncode == 0, result.stderr
    answers_file = site / ".guidewright/answers/coding/rate-limiter.yml"
    answers = yaml.safe_load(answers_file.read_text("utf-8"))
    commit, src = answers.pop("_commit", None), answers.pop("_src_path")
    # The bundled template is recorded by name (bundled@VERSION), whatever folder Copier
    # was handed: the bytes are those of a render that records that name.
    assert src.startswith("bundled@")
    template = REPO
    rendered = TemplateRenderer(template).render(answers, src_path=src, commit=commit)
    assert set(rendered) == {
        "docs/coding/rate-limiter.md",
        ".guidewright/answers/coding/rate-limiter.yml",
    }
    for relpath, content in rendered.items():
        assert content == (site / relpath).read_bytes(), relpath
    assert commit is None  # the bundled template has no versions


@pytest.mark.parametrize(
    "envops", ["{}", "{variable_start_string: '[[', variable_end_string: ']]'}"]
)
@pytest.mark.parametrize(
    "chosen",
    [
        ".guidewright/answers/a/b.yml",
        "{{ slug }}.yml",
        "[[ slug ]].yml",
        "{# c #}x",
        "{% if 1 %}y{% endif %}",
    ],
)
def test_a_chosen_answers_file_renders_as_jinja_renders_it(
    tmp_path: Path, envops: str, chosen: str
) -> None:
    """Plain paths skip Jinja (one per document: compiling each was most of update's time);
    the result is Jinja's own, whatever the template's delimiters."""
    (tmp_path / "copier.yml").write_text(f"_envops: {envops}\n")
    renderer = TemplateRenderer(tmp_path)
    expected = renderer.env.from_string(chosen).render(slug="s")
    assert renderer.answers_relpath({"slug": "s"}, chosen) == expected


_RENDERER = TemplateRenderer(REPO)
_PART_NAMES = st.sampled_from(["slug", "section", "docs_dir", "true", "None", "not", "range", "x1"])


@given(
    st.one_of(
        st.builds(
            lambda n, a, b, rest: "{{" + a + n + b + "}}" + rest,
            _PART_NAMES,
            st.sampled_from(["", " ", "  "]),
            st.sampled_from(["", " ", "  "]),
            st.text(st.sampled_from(list("ab.-_ {}#%\n")), max_size=8),
        ),
        st.text(st.sampled_from(list("ab{} %#.")), max_size=12),
    ),
    st.dictionaries(_PART_NAMES, st.one_of(st.text(max_size=5), st.integers(), st.none())),
)
@settings(max_examples=400, deadline=None)
def test_a_path_segment_renders_as_jinja_renders_it(part: str, context: dict[str, Any]) -> None:
    """The shortcut for `{{ name }}text` segments gives what Jinja gives (or fails alike)."""
    from jinja2 import TemplateError

    renderer = _RENDERER
    try:
        expected: str | type[Exception] = renderer.compiled(part).render(**context)
    except TemplateError as error:
        expected = type(error)
    try:
        got: str | type[Exception] = renderer._render_part(part, context)
    except TemplateError as error:
        got = type(error)
    assert got == expected


def test_the_path_segment_shortcut_is_taken_for_one_answer_then_text() -> None:
    assert _RENDERER._single_variable("{{ slug }}.md") == ("slug", ".md")
    assert _RENDERER._single_variable("{{ true }}") == ()
    assert _RENDERER._single_variable("{{ slug }}{{ x }}") == ()
    assert _RENDERER._single_variable("{{ slug | upper }}") == ()


@pytest.mark.parametrize(
    ("command", "title", "extra"),
    [
        (
            "new-tutorial",
            "Queues Hands-On Tutorial for L6 Interviews",
            ("--skill", "back pressure"),
        ),
        ("new-guide", "Queues Complete Guide for Amazon L6 Interviews", ()),
    ],
)
def test_the_authors_answers_reach_the_body(
    site: Path, home: Path, command: str, title: str, extra: tuple[str, ...]
) -> None:
    """Issue 28: the objectives are the page's learning outcomes, the skills are checked
    under "Practical Skills", and the audience is the levels the title and body name."""
    made = run_cli(
        command,
        "--defaults",
        "--topic",
        "Queues",
        "--section",
        "coding",
        "--tag",
        "aws",
        "--tag",
        "coding",
        "--objective",
        "A",
        "--objective",
        "B",
        "--audience",
        "L6",
        "--content-owner",
        "team",
        *extra,
        "--dest",
        str(site),
        cwd=site,
        home=home,
    )
    assert made.returncode == 0, made.stderr
    text = (site / "docs/coding/queues.md").read_text("utf-8")
    parsed = frontmatter.parse(text)
    assert parsed is not None and parsed.data["title"] == title
    assert f"\n# {title}\n" in parsed.body
    outcomes = parsed.body.split("### Learning Outcomes\n", 1)[1].split("\n\n", 1)[0]
    assert outcomes.splitlines() == ["- A", "- B"]
    assert "L6/L7" not in text and "Amazon L6 engineering manager interview" in text
    if extra:
        skills = parsed.body.split("#### Practical Skills\n", 1)[1].splitlines()
        assert skills[0] == "- [ ] Can apply back pressure"

    # A page given no objectives (a template's examples, plain Copier with other rules)
    # keeps the seed's generic outcomes.
    answers = yaml.safe_load((site / ".guidewright/answers/coding/queues.yml").read_text())
    src = answers.pop("_src_path")
    rendered = TemplateRenderer(REPO).render(
        {**answers, "learning_objectives": []},
        src_path=src,
        commit=None,
        only={"docs/coding/queues.md"},
    )
    generic = rendered["docs/coding/queues.md"].decode("utf-8")
    outcomes = generic.split("### Learning Outcomes\n", 1)[1].split("\n\n", 1)[0]
    assert len(outcomes.splitlines()) == 4 and outcomes.startswith("- **")
