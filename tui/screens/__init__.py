"""Screens: the main watch screen and its modal views."""
