"""The built wheel carries the template: a fresh install creates documents offline."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from built_once import built_once
from support import GUIDE_ARGS, HANG, REPO, isolated_env


def _build_wheel(out: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    (built,) = built_once(tmp_path_factory, "dist", _build_wheel).glob("guidewright-*.whl")
    return built


def test_wheel_contains_the_template(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "guidewright/bundled_template/copier.yml" in names
    assert "guidewright/bundled_template/template/_partials/guide.md.jinja" in names
    assert "guidewright/bundled_template/template/_partials/tutorial.md.jinja" in names
    template_files = {n for n in names if n.startswith("guidewright/bundled_template/template/")}
    repo_files = {
        "guidewright/bundled_template/" + p.relative_to(REPO).as_posix()
        for p in (REPO / "template").rglob("*")
        if p.is_file()
    }
    assert template_files == repo_files


def test_wheel_carries_the_license_and_its_metadata(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    names = archive.namelist()
    licenses = [n for n in names if n.endswith("licenses/LICENSE")]
    assert licenses, names
    assert b"MIT License" in archive.read(licenses[0])
    (metadata_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
    metadata = archive.read(metadata_name).decode()
    assert "License-Expression: MIT" in metadata
    assert "Classifier: Topic :: Documentation" in metadata
    assert "guidewright/py.typed" in names


@pytest.mark.long
def test_fresh_install_creates_a_guide_offline(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    # The fresh venv sees this environment's packages for the dependencies (no network
    # needed); guidewright itself comes only from the wheel, installed by this
    # environment's pip into the venv (`pip --python`): a pip of the venv's own would be
    # ensurepip unpacking and compiling pip first, most of this test's time.
    venv.create(env_dir, with_pip=False, system_site_packages=False)
    python = env_dir / "bin" / "python"
    site_packages = subprocess.run(
        [sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    pth = next((env_dir / "lib").glob("python3.*/site-packages"))
    (pth / "deps.pth").write_text(site_packages + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--force-reinstall",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    site = tmp_path / "elsewhere" / "site"
    (site / "docs" / "fundamentals").mkdir(parents=True)
    (site / "docs" / "practice").mkdir()
    (site / "docs" / "fundamentals" / "index.md").write_text("# F\n")
    (site / "docs" / "practice" / "topic-problems.md").write_text("# P\n")
    env = isolated_env(
        tmp_path / "home",
        PIP_NO_INDEX="1",
        no_proxy="*",
        http_proxy="http://127.0.0.1:9",
        https_proxy="http://127.0.0.1:9",
    )
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [str(env_dir / "bin" / "guidewright"), *GUIDE_ARGS, "--dest", str(site)],
        cwd=site.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG,
    )
    assert result.returncode == 0, result.stderr
    written = site / "docs/system-design/caching-strategies.md"
    assert written.read_text("utf-8") == (REPO / "tests/golden/guide.md").read_text("utf-8")
    where = subprocess.run(
        [str(python), "-c", "import guidewright, os; print(os.path.dirname(guidewright.__file__))"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(env_dir)), where
    assert os.path.isfile(os.path.join(where, "bundled_template", "copier.yml"))
