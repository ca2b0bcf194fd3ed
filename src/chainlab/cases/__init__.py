"""Each course module's own seeded case tables and teaching data: `from chainlab.cases import mNN as case`."""
