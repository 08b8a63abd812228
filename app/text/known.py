"""Answers of a pure text function worked out ahead elsewhere (by the import's worker
process, see app.notes.prepare), each taken once by the next call (pure: no Flask)."""


class KnownAnswers:
    """At most `size` answers by their input; a full store starts again empty."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._answers: dict[str, str] = {}

    def put(self, given: str, answer: str) -> None:
        """Remember `answer` for the next call with `given`."""
        if len(self._answers) >= self.size:
            self._answers.clear()
        self._answers[given] = answer

    def take(self, given: str) -> str | None:
        """The answer remembered for `given`, forgotten as it is taken; None if none."""
        return self._answers.pop(given, None)
