"""Counts and row lists in the words of a message: '3 rows', 'rows 2, 5, 7-9'."""

from __future__ import annotations


def plural(n: int, word: str, words: str = "") -> str:
    """'1 row', '3 rows'."""
    return f"{n} {word if n == 1 else words or word + 's'}"


def rows_text(rows: list[int]) -> str:
    """'row 4', or 'rows 2, 5, 7-9' (sorted, runs joined)."""
    numbers = sorted(set(rows))
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = [str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs]
    return ("row " if len(numbers) == 1 else "rows ") + ", ".join(parts)
