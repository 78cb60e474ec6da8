"""The console's login: name and password for the control room's broker (no I/O here)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class LoginDialog(QDialog):
    def __init__(
        self, server: str, name: str = "", problem: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("heatconsole — log in"))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Control room server: {server}").format(server=server)))
        self.problem = QLabel(problem)
        self.problem.setWordWrap(True)
        self.problem.setProperty("role", "error")
        self.problem.setVisible(bool(problem))
        lay.addWidget(self.problem)
        form = QFormLayout()
        self.name = QLineEdit(name)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("User"), self.name)
        form.addRow(self.tr("Password"), self.password)
        lay.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        (self.password if name else self.name).setFocus()

    def credentials(self) -> tuple[str, str]:
        return self.name.text().strip(), self.password.text()
