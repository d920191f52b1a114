"""Alerts, positions and the privacy key."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeGuard

from neodymium.config.settings import AlertRule, PositionSettings
from neodymium.config.write_back import update_alerts, update_positions
from neodymium.tui.app_core import AppCore, is_loaded_instance
from textual.screen import Screen

if TYPE_CHECKING:
    from neodymium.tui.screens.alerts import AlertsScreen
    from neodymium.tui.screens.positions import PositionsScreen


def is_alerts_screen(screen: Screen[object] | Screen[None]) -> TypeGuard[AlertsScreen]:
    """True for the alerts screen, without importing it before the first frame."""
    return is_loaded_instance(screen, "neodymium.tui.screens.alerts", "AlertsScreen")


def is_positions_screen(screen: Screen[object] | Screen[None]) -> TypeGuard[PositionsScreen]:
    """True for the positions screen, without importing it before the first frame."""
    return is_loaded_instance(screen, "neodymium.tui.screens.positions", "PositionsScreen")


class PersonalActions(AppCore):
    """Alerts, positions and the privacy key."""

    def check_alerts(self) -> None:
        """Evaluate the alert rules on the latest snapshot (each snapshot and every second, so
        ``stale`` rules notice silence) and deliver what fires."""
        if self.alerting is not None and self.alerting.check(self.snapshot, self.clock()):
            for screen in self.screen_stack:
                if is_alerts_screen(screen) and screen.is_mounted:
                    screen.refresh_view()

    def action_alerts(self) -> None:
        """Show the alert rules, their state and what fired; snooze, cancel, re-arm."""
        if self.alerting is not None and not is_alerts_screen(self.screen):
            from neodymium.tui.screens.alerts import AlertsScreen

            self.push_screen(AlertsScreen(self.alerting.engine, self.alerting.recent,
                                          self.clock, self.settings, self.change_alerts))

    def change_alerts(self, rules: list[AlertRule]) -> None:
        """Keep edited rules, write them to the config file, poll any new symbol."""
        self.settings = self.settings.model_copy(update={"alerts": rules})
        if self.alerting is not None:
            self.alerting.engine.set_rules(rules)
        self._save_edit(update_alerts, rules, "Alerts")
        for screen in self.screen_stack:
            if is_alerts_screen(screen) and screen.is_mounted:
                screen.settings = self.settings
                screen.refresh_view()

    def action_positions(self) -> None:
        """Show the holdings valued at the latest quotes (e edits, d removes)."""
        if not is_positions_screen(self.screen):
            from neodymium.tui.screens.positions import PositionsScreen

            self.push_screen(PositionsScreen(self.settings, self.snapshot, self.private,
                                             self.change_positions))

    def action_private(self) -> None:
        """The privacy key: mask or show position sizes, values and P&L (exports too)."""
        self.private = not self.private
        for screen in self.screen_stack:
            if is_positions_screen(screen):
                screen.update_view(self.settings, self.snapshot, self.private)
        self.notify("position figures masked, on screen and in exports" if self.private
                    else "position figures shown", title="Private" if self.private else "Public")

    def change_positions(self, positions: list[PositionSettings]) -> None:
        """Keep edited positions, write them to the config file, poll any new symbol."""
        self.settings = self.settings.model_copy(update={"positions": positions})
        self._save_edit(update_positions, positions, "Positions")
        for screen in self.screen_stack:
            if is_positions_screen(screen):
                screen.update_view(self.settings, self.snapshot, self.private)

