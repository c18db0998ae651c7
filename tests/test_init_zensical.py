"""`init --engine zensical`: a zensical.toml site that `zensical build --strict` builds and
`check --strict` passes, with the same pages as the MkDocs site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support import isolated_env, run_cli

from guidewright.site.init_config import init_profile
from guidewright.site.profile import ZENSICAL
from guidewright.site.site import load_site

ZENSICAL_BIN = str(Path(sys.executable).parent / "zensical")


def test_a_zensical_site_builds_strict_and_checks_strict(tmp_path: Path) -> None:
    home, site = tmp_path / "home", tmp_path / "site"
    made = run_cli(
        "init",
        str(site),
        "--engine",
        "zensical",
        "--content-owner",
        "team",
        cwd=tmp_path,
        home=home,
    )
    assert made.returncode == 0, made.stderr
    assert "zensical serve -f" in made.stdout
    assert (site / "zensical.toml").is_file() and not (site / "mkdocs.yml").exists()
    for command, topic, section, *extra in (
        ("new-guide", "Caching Strategies", "system-design"),
        ("new-tutorial", "Rate Limiter", "coding", "--skill", "rate limiting"),
    ):
        new = run_cli(
            command,
            "--defaults",
            "--dest",
            str(site),
            "--topic",
            topic,
            "--section",
            section,
            "--tag",
            "aws",
            "--tag",
            "coding",
            "--contributor",
            "Ada",
            "--objective",
            "Explain it",
            *extra,
            cwd=tmp_path,
            home=home,
        )
        assert new.returncode == 0, new.stderr
        assert "zensical serve" in new.stdout
    built = subprocess.run(
        [ZENSICAL_BIN, "build", "--strict"],
        cwd=site,
        capture_output=True,
        text=True,
        env=isolated_env(home, NO_COLOR="1"),
        timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert "No issues found" in built.stdout + built.stderr
    html = (site / "site/system-design/caching-strategies/index.html").read_text("utf-8")
    assert '<meta name="description" content="Comprehensive step-by-step guide' in html
    assert 'md-status md-status--draft" title="Draft"' in html
    checked = run_cli("check", "--strict", cwd=site, home=home)
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.strip().endswith("2 documents checked: 0 errors, 0 warnings")
    profile = load_site(site).profile
    assert (profile.engine, profile.config_file) == (ZENSICAL, "zensical.toml")
    # The same Markdown as the MkDocs site (save MkDocs' own fenced_code, which
    # superfences replaces) and the same link checks.
    mkdocs = init_profile()
    assert profile.markdown.names == mkdocs.markdown.names - {"fenced_code"}
    assert (profile.validation.not_found, profile.validation.anchors) == ("warn", "warn")


def test_init_refuses_an_engine_it_does_not_write(tmp_path: Path) -> None:
    result = run_cli(
        "init", str(tmp_path / "s"), "--engine", "hugo", cwd=tmp_path, home=tmp_path / "h"
    )
    assert result.returncode == 2
    assert "hugo" in result.stderr and not (tmp_path / "s").exists()


def test_init_refuses_a_folder_with_any_engine_s_configuration(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "zensical.toml").write_text('[project]\nsite_name = "x"\n')
    result = run_cli("init", str(tmp_path / "s"), cwd=tmp_path, home=tmp_path / "h")
    assert result.returncode == 2
    assert result.stderr.strip().startswith(
        f"error: SITE: {tmp_path / 's'} already has a zensical.toml; init only creates new "
        f"sites: `guidewright adopt --dest {tmp_path / 's'} --pretend` shows"
    )
