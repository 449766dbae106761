"""CHECK constraint SQL built from the Python constants it guards, so the two cannot drift apart."""


def one_of(column: str, values) -> str:
    """`column IN ('a', 'b')`: the column holds one of `values` (plain words, quoted as SQL literals)."""
    for value in values:
        if "'" in value:
            raise ValueError(f"{value!r} cannot be written as a plain SQL literal")
    literals = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({literals})"


def between(column: str, low: int, high: int) -> str:
    """`column BETWEEN low AND high`, both ends included."""
    return f"{column} BETWEEN {int(low)} AND {int(high)}"
