"""``refute verify``: run the suite, mutate covered functions in memory, judge every test."""
