"""Chain primitives a learner meets: units, addresses and their checksums, seed phrases, the toy chain."""
