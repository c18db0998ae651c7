"""Why guidewright reproduces Copier's `Question` instead of calling it: the cost of judging
one answer, Copier's class against copier_compat/questions.py, measured in the same run.

    python benchmarks/bench_questions.py [--values N] [--runs N]

Each side parses and validates N distinct values of the shipped template's questions
(titles, tags, dates: what `check` judges on every page of a site). Ours is measured twice:
cold (every value new, as on a site whose titles are all different) and warm (the same
values again: a site repeats most tags, owners and dates, and the model remembers each
value's verdict). Copier's class is built once per question, as a worker does, and asked
`parse_answer` then `validate_answer` per value.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from copier_oracle import copier_question  # noqa: E402

from guidewright.copier_compat.config import read_template_config  # noqa: E402
from guidewright.template.questionnaire import load_questionnaire  # noqa: E402

CONTEXT = {"content_type": "guide", "last_updated": "2026-05-01"}


def values(count: int, run: int) -> list[tuple[str, Any]]:
    """Valid answers spread over three questions, none seen in an earlier run."""
    made: list[tuple[str, Any]] = []
    for number in range(count):
        match number % 3:
            case 0:
                made.append(("title", f"Caching strategies, part {number} ({run})"))
            case 1:
                made.append(("tags", [f"topic-{number}-{run}", "caching"]))
            case _:
                day = f"{2027 + run}-{1 + number % 12:02d}-{1 + number // 12 % 28:02d}"
                made.append(("review_date", day))
    return made


def per_value(judge: Callable[[str, Any], object], answers: list[tuple[str, Any]]) -> float:
    start = time.perf_counter()
    for name, value in answers:
        judge(name, value)
    return (time.perf_counter() - start) / len(answers)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--values", type=int, default=600)
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    specs = read_template_config(REPO).questions
    theirs_by_name = {n: copier_question(REPO, specs[n], n, CONTEXT) for n in specs}

    def copier_judges(name: str, value: Any) -> None:
        question = theirs_by_name[name]
        question.validate_answer(question.parse_answer(value))

    copier_times, cold_times, warm_times = [], [], []
    for run in range(arguments.runs):
        answers = values(arguments.values, run)
        ours = load_questionnaire(REPO).questions

        def ours_judges(name: str, value: Any, ours: dict[str, Any] = ours) -> None:
            ours[name].problem(value, CONTEXT)  # this run's questions, bound (ruff B023)

        copier_times.append(per_value(copier_judges, answers))
        cold_times.append(per_value(ours_judges, answers))
        warm_times.append(per_value(ours_judges, answers))
    copier_ms = statistics.median(copier_times) * 1000
    cold_ms = statistics.median(cold_times) * 1000
    warm_ms = statistics.median(warm_times) * 1000
    print(f"Copier's Question: {copier_ms:.4f} ms a value (median of {arguments.runs} runs)")
    print(f"copier_compat, new values: {cold_ms:.4f} ms a value")
    print(f"copier_compat, values seen before: {warm_ms:.4f} ms a value")
    print(f"ratio Copier/ours: {copier_ms / cold_ms:.0f}x new, {copier_ms / warm_ms:.0f}x seen")


if __name__ == "__main__":
    main()
