"""Pure eligibility rules: the benefits summary, what changed, when to verify, the 270 request."""
