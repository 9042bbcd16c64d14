"""Remittance (835) posting. For now only the pure layer: `remittance.domain` (matching and the
posting plan) and `remittance/data/carc.json` (our CARC/RARC table). Models come next."""
