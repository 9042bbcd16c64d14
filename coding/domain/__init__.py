"""Pure coding rules: code sets, ICD-10-CM checks, time and unit rules, modifiers (no Django)."""
