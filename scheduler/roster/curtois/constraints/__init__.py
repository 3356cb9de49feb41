"""One module per Curtois & Qu rule family; each exposes ``add(model)``."""
