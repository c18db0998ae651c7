"""`update`'s question for a new template question, with "same answer for all"."""

from __future__ import annotations

import dataclasses
import os
from typing import Any

from guidewright.cli.prompts import Asker
from guidewright.site.site import Site
from guidewright.template.answering import Prompt


class SameForAll:
    """Asks a question a new template version added, per document; from the second
    document on, the author may give every other document the same answer."""

    def __init__(self, asker: Asker, site: Site) -> None:
        self.asker, self.site = asker, site
        self.first: dict[str, Any] = {}  # question: the first document's answer
        self.for_all: dict[str, Any] = {}

    def __call__(self, document: str, prompt: Prompt) -> Any:
        name = prompt.question.name
        if name in self.for_all and prompt.check(self.for_all[name])[1] is None:
            return self.for_all[name]
        shown = os.path.relpath(self.site.root / document)  # from here, as the table
        if name in self.first:
            answer = self.first[name]
            if prompt.check(answer)[1] is None:
                every = f"Same answer for this and every other document ({_value(answer)})"
                choice = self.asker.choose(
                    f"{shown}: {prompt.label}:",
                    [("Answer for this document", "one"), (every, "all")],
                )
                if choice == "all":
                    self.for_all[name] = answer
                    return answer
        answer = self.asker(dataclasses.replace(prompt, label=f"{shown}: {prompt.label}"))
        self.first.setdefault(name, answer)
        return answer


def _value(answer: Any) -> str:
    return ", ".join(map(str, answer)) if isinstance(answer, list) else str(answer)
