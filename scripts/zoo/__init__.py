"""The layout batches (corpora/zoo … zoo7): one spec module a batch over the shared ``kit``."""
