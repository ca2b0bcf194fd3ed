"""Crime scenarios, one module each; each adds hand-written transactions and its case records to the world."""
