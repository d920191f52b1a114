"""One file per panel; widgets render the view data handed to them and never do I/O."""
