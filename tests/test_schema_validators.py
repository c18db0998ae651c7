"""`guidewright schema` as the validators editors and CI run read it: ajv in strict mode
(draft 2020-12, with ajv-formats) accepts it, and every validator agrees with `check` on
good and bad frontmatters, `review_date: "soon"` included.

ajv runs when it is installed (`GUIDEWRIGHT_AJV` names its `ajv` command, else `ajv` on
PATH, with ajv-formats beside it); otherwise the same frontmatters are judged by Python's
jsonschema with format checking, and the strict-mode test is skipped."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from support import GUIDE_ARGS, HANG, make_site, run_cli

from guidewright.markdown import frontmatter

GUIDE = "docs/system-design/caching-strategies.md"
AJV = os.environ.get("GUIDEWRIGHT_AJV") or shutil.which("ajv")
# The editors' own keywords, declared to ajv as annotations (ajv.addVocabulary), which is
# how a strict validator is told of them.
EDITOR_VOCABULARY = (
    'module.exports = (ajv) => ajv.addVocabulary(["markdownDescription", "patternErrorMessage"]);\n'
)

# (name, change to a generated guide's frontmatter): None removes the key.
VARIANTS: list[tuple[str, dict[str, Any]]] = [
    ("as-made", {}),
    ("other-tags", {"tags": ["caching", "databases", "aws"]}),
    ("review-soon", {"review_date": "soon"}),
    ("review-month-13", {"review_date": "2026-13-01"}),
    ("review-feb-30", {"review_date": "2027-02-30"}),
    ("last-updated-word", {"last_updated": "yesterday"}),
    ("tag-not-a-slug", {"tags": ["Not A Slug", "caching"]}),
    ("one-tag", {"tags": ["caching"]}),
    ("difficulty-hard", {"difficulty": "hard"}),
    ("empty-title", {"title": ""}),
    ("time-forever", {"estimated_time": "forever"}),
    ("tutorial-key", {"tutorial_type": "hands_on"}),
    ("no-summary", {"summary": None}),
    ("version-word", {"version": "one"}),
]


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bool]]:
    """A site with one page a variant, and whether `check` finds an error in each page's
    frontmatter (a finding on a key); the schema printed beside it."""
    base = tmp_path_factory.mktemp("schema")
    home = base / "home"
    site = make_site(base / "site")
    assert run_cli(*GUIDE_ARGS, "--dest", str(site), cwd=site, home=home).returncode == 0
    made = frontmatter.parse((site / GUIDE).read_text("utf-8"))
    assert made is not None
    (site / "docs" / "variants").mkdir()
    for name, change in VARIANTS:
        data = {**made.data, **change}
        data = {key: value for key, value in data.items() if value is not None}
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        (site / "docs" / "variants" / f"{name}.md").write_text(f"---\n{text}---\n# {name}\n")
        (base / f"{name}.json").write_text(json.dumps(data, default=str), "utf-8")
    checked = run_cli("check", "--format", "json", "--dest", str(site), cwd=site, home=home)
    assert checked.returncode in (0, 1), checked.stderr
    refused = {
        Path(p["path"]).stem
        for p in json.loads(checked.stdout)["problems"]
        if p["severity"] == "error" and p["path"].startswith("docs/variants/")
    }
    for editor in ("--editor-keywords", "--no-editor-keywords"):
        printed = run_cli("schema", editor, "--dest", str(site), cwd=site, home=home)
        assert printed.returncode == 0, printed.stderr
        (base / f"schema{editor}.json").write_text(printed.stdout, "utf-8")
    return base, {name: name in refused for name, _ in VARIANTS}


def test_check_refuses_the_bad_ones_and_accepts_the_good(
    judged: tuple[Path, dict[str, bool]],
) -> None:
    _, refused = judged
    assert refused == {name: name not in ("as-made", "other-tags") for name, _ in VARIANTS}


@pytest.mark.parametrize("editor", ["--editor-keywords", "--no-editor-keywords"])
def test_python_jsonschema_with_formats_agrees_with_check(
    judged: tuple[Path, dict[str, bool]], editor: str
) -> None:
    base, refused = judged
    schema = json.loads((base / f"schema{editor}.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    verdicts = {
        name: not validator.is_valid(json.loads((base / f"{name}.json").read_text("utf-8")))
        for name, _ in VARIANTS
    }
    assert verdicts == refused


def _ajv(
    base: Path, schema: str, data: list[str], *declared: str
) -> subprocess.CompletedProcess[str]:
    """ajv-cli validating each file of `data` against `schema`, in one node process."""
    assert AJV is not None
    return subprocess.run(
        [
            AJV,
            "validate",
            "--spec=draft2020",
            "--strict=true",
            "-c",
            "ajv-formats",
            *declared,
            "-s",
            schema,
            *(option for name in data for option in ("-d", name)),
        ],
        cwd=base,
        capture_output=True,
        text=True,
        timeout=HANG,
    )


def _verdicts(done: subprocess.CompletedProcess[str]) -> dict[str, bool]:
    """Whether ajv refused each data file (by name, without `.json`): it says `NAME.json
    valid` on stdout, or `NAME.json invalid` on stderr followed by the errors."""
    verdicts = {}
    for line in (done.stdout + "\n" + done.stderr).splitlines():
        name, _, verdict = line.rpartition(".json ")
        if verdict in ("valid", "invalid") and name and " " not in name:
            assert name not in verdicts, (name, done.stdout, done.stderr)
            verdicts[name] = verdict == "invalid"
    return verdicts


@pytest.mark.skipif(AJV is None, reason="ajv-cli is not installed (GUIDEWRIGHT_AJV, PATH)")
@pytest.mark.parametrize("editor", ["--editor-keywords", "--no-editor-keywords"])
def test_ajv_strict_accepts_the_schema_and_agrees_with_check(
    judged: tuple[Path, dict[str, bool]], editor: str
) -> None:
    base, refused = judged
    (base / "editor-vocabulary.js").write_text(EDITOR_VOCABULARY, "utf-8")
    declared = ("-c", "./editor-vocabulary.js") if editor == "--editor-keywords" else ()
    names = [name for name, _ in VARIANTS]
    done = _ajv(base, f"schema{editor}.json", [f"{name}.json" for name in names], *declared)
    assert "strict mode" not in done.stdout + done.stderr, done.stderr
    assert done.returncode == (1 if any(refused.values()) else 0), done.stdout + done.stderr
    assert _verdicts(done) == {name: refused[name] for name in names}, done.stderr


@pytest.mark.skipif(AJV is None, reason="ajv-cli is not installed (GUIDEWRIGHT_AJV, PATH)")
def test_ajv_strict_refuses_the_editor_keywords_undeclared(
    judged: tuple[Path, dict[str, bool]],
) -> None:
    base, _ = judged
    done = _ajv(base, "schema--editor-keywords.json", ["as-made.json"])
    assert done.returncode != 0 and 'unknown keyword: "markdownDescription"' in done.stderr
