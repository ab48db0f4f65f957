"""The web: the catalogue website, the preview server and the order shop."""
