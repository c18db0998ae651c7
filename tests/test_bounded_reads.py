"""Files that would hang a run or fill its memory: a page linked to /dev/zero, a FIFO page,
`--data-file /dev/zero`, a file larger than its limit, YAML nested 500 deep. Each is one
line naming the file (a finding, or the refusal), at once, in little memory."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from support import GUIDE_ARGS, GUIDEWRIGHT, isolated_env, make_site, run_cli

from guidewright.core import bounded_read, safe_yaml
from guidewright.core.bounded_read import RefusedRead, read_bounded

DEEP = "[" * 500 + "]" * 500
# A generous bound that only turns a hang into a failure: every case ends within a second.
HANG = 60
# The most a run may grow past a plain run of the same command (the bound).
GROWTH_MB = 100

# Runs a command and prints its exit, output and the peak memory of its processes (the
# largest one's resident size, as the kernel counts it for waited-for children).
_MEASURED = f"""
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout={HANG})
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps([done.returncode, done.stdout, done.stderr, peak]))
"""


def measured(*args: str, cwd: Path, home: Path) -> tuple[int, str, str, float]:
    """`guidewright ARGS`: (exit status, stdout, stderr, peak memory in MB)."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, GUIDEWRIGHT, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=isolated_env(home),
        stdin=subprocess.DEVNULL,
        timeout=HANG + 10,
    )
    status, stdout, stderr, peak = json.loads(done.stdout)
    return status, stdout, stderr, peak


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def within(seconds: float, call: Callable[[], Any]) -> Any:
    """`call()`, failing (not hanging) if it has not returned after `seconds`."""
    result: list[Any] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(call())
        except BaseException as error:  # handed to the test's thread
            failure.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "it hung"
    if failure:
        raise failure[0]
    return result[0]


@pytest.fixture(scope="module")
def made_guided(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """guided's site, made once a module (`new-guide` is most of its making)."""
    root = tmp_path_factory.mktemp("guided")
    site, home = make_site(root / "site"), root / "home"
    (site / "mkdocs.yml").write_text("site_name: Guides\nnav:\n  - Home: index.md\n")
    made = run_cli(*GUIDE_ARGS, "--dest", str(site), cwd=site, home=home)
    assert made.returncode == 0, made.stderr
    return site


@pytest.fixture
def guided(made_guided: Path, tmp_path: Path) -> Path:
    """A site with a navigation and one guide: a copy of the one made once."""
    return Path(shutil.copytree(made_guided, tmp_path / "site", symlinks=True))


# ---- the reader itself ---------------------------------------------------------------------


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "page.md"
    os.mkfifo(fifo)
    try:
        with pytest.raises(RefusedRead, match="a FIFO, not a regular file"):
            within(HANG, lambda: read_bounded(fifo, 100))
    finally:  # a reader stuck in open() (the bug) is let go
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


def test_a_device_is_refused_before_a_byte_is_read() -> None:
    with pytest.raises(RefusedRead) as refused:
        within(HANG, lambda: read_bounded("/dev/zero", 10**12))
    assert str(refused.value) == "/dev/zero: a device, not a regular file"


def test_the_limit_is_a_limit(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"x" * 100)
    assert read_bounded(page, 100) == b"x" * 100
    with pytest.raises(RefusedRead, match="larger than 99 bytes, the limit"):
        read_bounded(page, 99)


def test_a_file_longer_than_it_says_is_read_to_the_limit_only() -> None:
    # /proc files say they are empty and are not: only limit + 1 bytes are ever read.
    with pytest.raises(RefusedRead, match="larger than 10 bytes"):
        read_bounded("/proc/self/maps", 10)
    assert read_bounded("/proc/self/maps", 10**6).count(b"\n") > 3


def test_a_file_that_holds_still_takes_one_read_of_its_size(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"x" * 5000)
    reads: list[int] = []
    real_read = os.read

    def counted(handle: int, wanted: int) -> bytes:
        reads.append(wanted)
        return real_read(handle, wanted)

    with mock.patch.object(bounded_read.os, "read", counted):
        assert read_bounded(page, 10**6) == b"x" * 5000
    assert reads == [5001]


def test_links_that_leave_the_site_are_refused_and_others_followed(tmp_path: Path) -> None:
    site, outside = tmp_path / "site", tmp_path / "outside"
    (site / "docs").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.md").write_text("secret")
    (site / "docs/page.md").write_text("page")
    (site / "docs/alias.md").symlink_to(site / "docs/page.md")
    (site / "docs/out.md").symlink_to(outside / "secret.md")
    (site / "docs/folder").symlink_to(outside)
    assert read_bounded(site / "docs/alias.md", 100, site) == b"page"
    for leaving in ("docs/out.md", "docs/folder/secret.md"):
        with pytest.raises(RefusedRead, match="a link that leads outside the site"):
            read_bounded(site / leaving, 100, site)
    # A page named outside the site, through no link, is read as given.
    assert read_bounded(outside / "secret.md", 100, site) == b"secret"


# ---- the commands ----------------------------------------------------------------------------


def test_check_refuses_a_zero_link_and_a_fifo_in_one_line_each(guided: Path, home: Path) -> None:
    plain = measured("check", cwd=guided, home=home)
    assert plain[0] == 0, plain
    (guided / "docs/zero.md").symlink_to("/dev/zero")
    (guided / "docs/inside.md").symlink_to(guided / "docs/fifo.md")
    os.mkfifo(guided / "docs/fifo.md")
    status, stdout, stderr, peak = measured("check", cwd=guided, home=home)
    assert status == 1 and "Traceback" not in stderr, stderr
    assert "docs/zero.md:1: GW001 file: cannot read: a link that leads outside the site" in stdout
    assert "docs/fifo.md:1: GW001 file: cannot read: a FIFO, not a regular file" in stdout
    assert "docs/inside.md:1: GW001 file: cannot read: a FIFO, not a regular file" in stdout
    assert peak < plain[3] + GROWTH_MB, (peak, plain[3])


def test_data_file_dev_zero_and_a_fifo_are_refused_at_once(
    site: Path, home: Path, tmp_path: Path
) -> None:
    os.mkfifo(tmp_path / "answers.yml")
    for data_file, what in (("/dev/zero", "a device"), (str(tmp_path / "answers.yml"), "a FIFO")):
        status, _, stderr, peak = measured(
            *GUIDE_ARGS, "--dest", str(site), "--data-file", data_file, cwd=site, home=home
        )
        assert status == 2
        assert one_line(stderr) == (
            f"error: --data-file: cannot read {data_file}: {what}, not a regular file"
        )
        assert peak < GROWTH_MB * 2, peak  # a plain `new` takes a few tens of MB


def test_a_large_data_file_is_refused_by_its_size(site: Path, home: Path, tmp_path: Path) -> None:
    large = tmp_path / "large.yml"
    with open(large, "wb") as file:
        file.truncate(3 * 10**9)  # sparse: 3 GB that take no disk
    result = run_cli(
        *GUIDE_ARGS, "--dest", str(site), "--data-file", str(large), cwd=site, home=home
    )
    assert result.returncode == 2
    assert "larger than 1 MB, the limit" in one_line(result.stderr)


@pytest.mark.parametrize("name", ["mkdocs.yml", ".guidewright/config.yml"])
def test_a_configuration_linked_to_dev_zero_is_one_line(
    guided: Path, home: Path, name: str
) -> None:
    (guided / name).unlink()
    (guided / name).symlink_to("/dev/zero")
    result = run_cli("check", cwd=guided, home=home)
    assert result.returncode == 2
    message = one_line(result.stderr)  # each reader says it its own way, in one line
    assert message in (
        f"error: {name}: cannot read: a link that leads outside the site",
        f"error: {name}: leads out of the site (a link); refused",
    ), message


def test_the_language_server_reads_past_them(guided: Path) -> None:
    from guidewright.lsp.live_site import open_live_site
    from guidewright.site.site import load_site

    (guided / "docs/zero.md").symlink_to("/dev/zero")
    os.mkfifo(guided / "docs/fifo.md")
    live = within(HANG, lambda: open_live_site(load_site(guided)))
    try:
        assert live.pages["zero.md"].data is None and live.pages["fifo.md"].data is None
        assert within(HANG, lambda: live.file_changed("fifo.md", guided / "docs/fifo.md", True))
    finally:
        live.close()


# ---- YAML nested 500 deep --------------------------------------------------------------------


def test_safe_yaml_bounds_the_depth_with_either_loader() -> None:
    fits = "[" * safe_yaml.MAX_DEPTH + "]" * safe_yaml.MAX_DEPTH
    for loader in (safe_yaml.Loader, safe_yaml.PlainLoader):
        assert safe_yaml.load(fits, loader) is not None
        for text in (DEEP, "".join(f"{'  ' * i}k{i}:\n" for i in range(500))):
            with pytest.raises(safe_yaml.UnsafeYaml, match="nested deeper than 100 levels"):
                safe_yaml.load(text, loader)
        with pytest.raises((safe_yaml.UnsafeYaml, yaml.YAMLError)):  # libyaml stops at 1,000
            safe_yaml.load("[" * 100_000, loader)


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(5)
)


def test_aliases_are_bounded_whatever_else_the_text_holds() -> None:
    """The alias walk is skipped only where no alias can be (no anchor, or no `*`): a
    billion laughs and an alias inside itself are refused with either loader, in a
    str or in bytes, and a `*` or `&` alone reads as before."""
    for loader in (safe_yaml.Loader, safe_yaml.PlainLoader):
        for text in (LAUGHS, "a: &a [x, *a]\n"):
            for given in (text, text.encode()):
                with pytest.raises(safe_yaml.UnsafeYaml, match=r"aliases expand|contains itself"):
                    safe_yaml.load(given, loader)
        assert safe_yaml.load("glob: '**/*.md'\nbold: '**b**'\n", loader)["glob"] == "**/*.md"
        assert safe_yaml.load(b"q: 'R&D'\n", loader) == {"q": "R&D"}
        assert safe_yaml.load("a: &a 1\nb: *a\n", loader) == {"a": 1, "b": 1}
        with pytest.raises(yaml.YAMLError):  # an alias of no anchor fails as it did
            safe_yaml.load("b: *a\n", loader)


def test_a_deep_yaml_value_is_refused_on_the_command_line(site: Path, home: Path) -> None:
    args = [a for a in GUIDE_ARGS if a not in ("--tag", "caching", "performance")]
    result = run_cli(*args, "--dest", str(site), "-d", f"tags={DEEP}", cwd=site, home=home)
    assert result.returncode == 2
    assert one_line(result.stderr) == (
        "error: tags: must be YAML (nested deeper than 100 levels of lists and mappings)"
    )


def test_a_deep_json_answer_is_refused() -> None:
    from guidewright.copier_compat.jinja import Expressions, copier_environment
    from guidewright.copier_compat.questions import AnswerError, Question

    question = Question("data", Expressions(copier_environment()), type="json")
    with pytest.raises(AnswerError, match="nested deeper than 100"):
        question.cast(DEEP, {})
    with pytest.raises(AnswerError, match="nested deeper than 100"):
        question.cast("[" * 100_000 + "]" * 100_000, {})
    assert question.cast("[[1]]", {}) == [[1]]


def test_deep_yaml_in_every_file_is_one_line(guided: Path, home: Path, tmp_path: Path) -> None:
    data = tmp_path / "data.yml"
    data.write_text(f"tags: {DEEP}\n")
    result = run_cli(
        *GUIDE_ARGS, "--dest", str(guided), "--data-file", str(data), cwd=guided, home=home
    )
    assert result.returncode == 2 and "nested deeper than 100 levels" in one_line(result.stderr)
    page = guided / "docs/deep.md"
    page.write_text(f"---\ncontent_type: guide\nextra: {DEEP}\n---\n# Deep\n")
    answers = next((guided / ".guidewright/answers").rglob("*.yml"))
    answers.write_text(answers.read_text() + f"deep: {DEEP}\n")
    checked = run_cli("check", cwd=guided, home=home)
    assert "Traceback" not in checked.stderr, checked.stderr
    out = checked.stdout
    assert "docs/deep.md:3: GW002 frontmatter: invalid YAML: nested deeper than 100" in out
    shown = answers.relative_to(guided).as_posix()
    deep_line = answers.read_text().count("\n")
    said = f"invalid YAML: line {deep_line}: nested deeper than 100"
    assert f"{shown}:1: GW502 answers: warning: {said}" in out
    config = guided / "mkdocs.yml"
    config.write_text(config.read_text() + f"extra: {DEEP}\n")
    refused = run_cli("check", cwd=guided, home=home)
    assert refused.returncode == 2
    assert "mkdocs.yml: invalid YAML: line " in one_line(refused.stderr)
    assert "nested deeper than 100 levels" in refused.stderr
