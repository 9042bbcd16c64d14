"""X12 reading and writing for Parity, pure Python (no Django).

- `edi.reader`: delimiters from the ISA, segments, envelopes (ISA/GS/ST ... SE/GE/IEA).
- `edi.x270`: the 270 eligibility inquiry (005010X279A1): typed request, builder, reader.
- `edi.x271`: the 271 eligibility response: typed models (the `eligibility_parse_271` JSON
  contract), parser, and a writer the sandbox payer uses.
- `edi.check270`: structural checks of a 270 from the implementation guide.
- `edi.x837p`: the 837P professional claim (005010X222A1): typed claims and the builder.
- `edi.x999`, `edi.x277ca`: readers of the 999 and 277CA acknowledgements.
- `edi.codes`: the code lists (service types, EB01, AAA reasons, time periods...).
"""
