"""Policy as data, each rule with its source: legal regimes and the travel rule (`legal`), AML risk scoring (`aml`)."""
