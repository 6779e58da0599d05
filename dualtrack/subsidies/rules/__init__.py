"""The two policy packages as rules over plain values (no Django, no ORM).

Each clause is a function from plain inputs and the parameters in force to a ``Result``: the
exact amount and its explanation tree (Chinese and English, down to the ids of the records
counted). Money is ``Decimal`` throughout; ``money.to_fen`` is the one rounding, applied once
per clause amount (see its docstring). Parameters are data with an effective period and a
recorded-at time (``params``)."""
