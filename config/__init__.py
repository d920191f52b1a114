"""What the user asked for: the settings model, its loader and the shipped default."""
