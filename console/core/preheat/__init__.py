"""Cold-wave pre-heating advice (issue 13): per station the curve shift and the hour to apply it
so the coldest rooms stay ≥ 18 °C through a forecast cold wave, within plant capacity; the
batch of writes that applies it and the batch that undoes it. Qt-free, no I/O."""
