"""`check`'s findings as SARIF 2.1.0, the format GitHub code scanning reads.

Plain data in, a JSON-ready dict out; the CLI finds the repository root and the lines'
text and prints. SARIF counts columns in UTF-16 code units unless a run says otherwise
(`columnKind`), and GitHub places a finding by the text of its line, so a column that
`check` counts in characters is converted from the line it points into: an emoji before a
link is one character but two code units.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote

from guidewright.core.shown_text import printable
from guidewright.rules.problems import ERROR, Problem
from guidewright.rules.registry import Registry
from guidewright.rules.rule import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION = "2.1.0"
ROOT_ID = "SRCROOT"  # the uriBaseId every relative artifact URI is relative to


def utf16_column(line: str, column: int) -> int:
    """The 1-based UTF-16 column of the 1-based character `column` of `line` (past its
    end, as counted: the file changed since it was checked)."""
    before = line[: max(column - 1, 0)]
    beyond = max(column - 1 - len(before), 0)
    return len(before.encode("utf-16-le", "surrogatepass")) // 2 + beyond + 1


def _level(problem: Problem, strict: bool) -> str:
    return "error" if problem.severity == ERROR or strict else "warning"


def _quoted(path: str) -> str:
    """A path in a URI: a file name's bytes that are not UTF-8 percent-encoded as they
    are (`caf%E9.md`), any other lone surrogate shown escaped."""
    try:
        return quote(path, errors="surrogateescape")
    except UnicodeEncodeError:
        return quote(printable(path))


def _uri(path: str) -> tuple[str, str | None]:
    """(URI, its base id): relative paths are relative to the repository root."""
    if path.startswith("/"):
        return "file://" + _quoted(path), None
    return _quoted(path), ROOT_ID


def _rule(rule: Rule) -> dict[str, object]:
    """A rule's reportingDescriptor: what code scanning shows beside each of its alerts."""
    summary = f"{rule.summary[:1].upper()}{rule.summary[1:]}."
    turn_off = (
        f"Turn it off with `--ignore {rule.code}`, or for good in the site's "
        f".guidewright/config.yml: `check: {{ignore: [{rule.code}]}}`."
    )
    fixable = " `guidewright check --fix` fixes it." if rule.fix else ""
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{summary} {rule.why}"},
        "defaultConfiguration": {"level": rule.severity},  # "error" or "warning", as SARIF's
        "help": {
            "text": f"{summary} {rule.why}{fixable} {turn_off}",
            "markdown": (
                f"{summary} {rule.why}{fixable}\n\nExample:\n\n{rule.example}\n\n{turn_off}"
            ),
        },
    }


def _result(
    problem: Problem, rule_index: int | None, strict: bool, lines: Mapping[str, Sequence[str]]
) -> dict[str, object]:
    region: dict[str, int] = {"startLine": max(problem.line, 1)}
    if problem.column > 0:
        text = lines.get(problem.path, ())
        line = text[problem.line - 1] if 0 < problem.line <= len(text) else ""
        region["startColumn"] = utf16_column(line, problem.column)
    uri, base = _uri(problem.path)
    artifact: dict[str, str] = {"uri": uri}
    if base:
        artifact["uriBaseId"] = base
    result: dict[str, object] = {"ruleId": problem.code} if problem.code else {}
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    return {
        **result,
        "level": _level(problem, strict),
        "message": {"text": printable(f"{problem.field}: {problem.message}")},
        "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": region}}],
    }


def _invocation(exit_code: int, failure: str | None) -> dict[str, object]:
    """The run's invocation: its exit code and whether it ran, with the reason if not."""
    invocation: dict[str, object] = {
        "executionSuccessful": failure is None,
        "exitCode": exit_code,
    }
    if failure is not None:
        invocation["exitCodeDescription"] = "could not run"
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": printable(failure)}}
        ]
    return invocation


def sarif_log(
    problems: Sequence[Problem],
    registry: Registry,
    *,
    strict: bool,
    tool_version: str,
    root_uri: str,
    lines: Mapping[str, Sequence[str]],
    properties: Mapping[str, object] | None = None,
    exit_code: int = 0,
    failure: str | None = None,
) -> dict[str, object]:
    """One SARIF run of guidewright with these findings, and its invocation: how the
    command exited and, when it could not run (`failure` says why), that it did not
    succeed, so that an empty list of results is never read as a clean site.

    `problems` have paths relative to the repository root (POSIX, as in the repository) or
    absolute for a file outside it; `root_uri` is that root as a `file://` URI ending in
    `/`; `lines` has the lines (split at `\\n`) of each file a finding has a column in;
    `registry`'s rules are the run's rules; `properties` go in the run's property bag."""
    index = {code: number for number, code in enumerate(registry.codes)}
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "guidewright",
                "version": tool_version,
                "rules": [_rule(rule) for rule in registry],
            }
        },
        "originalUriBaseIds": {ROOT_ID: {"uri": root_uri}},
        "columnKind": "utf16CodeUnits",
        "invocations": [_invocation(exit_code, failure)],
        "results": [_result(p, index.get(p.code), strict, lines) for p in problems],
    }
    if properties:
        run["properties"] = dict(properties)
    return {"$schema": SCHEMA_URI, "version": VERSION, "runs": [run]}
