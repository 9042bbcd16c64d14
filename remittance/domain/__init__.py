"""Pure remittance rules: the CARC/RARC table and the posting plan. No Django."""
