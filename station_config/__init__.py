"""Station configuration: YAML data (network, templates, scenarios) and the code that loads it."""
