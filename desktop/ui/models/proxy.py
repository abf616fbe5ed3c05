"""A sort and filter proxy that hands a view's questions about a row on in one call.

Qt's QSortFilterProxyModel answers `multiData` (all the roles a delegate asks of one cell) by calling
its own `data` once per role, so a Python source model is entered seven times for every painted row
even when it answers `multiData` itself. This proxy passes the whole request on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import cast

from PySide6.QtCore import (
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    QSortFilterProxyModel,
)

RoleRequests = QModelRoleDataSpan | QModelRoleData  # what Qt hands multiData


def role_items(roles: RoleRequests) -> Iterator[QModelRoleData]:
    """Each role asked for in one multiData call (PySide6's stubs do not say that a span iterates)."""
    if isinstance(roles, QModelRoleData):
        yield roles
    else:
        yield from cast("Iterable[QModelRoleData]", roles)


class RolesProxy(QSortFilterProxyModel):
    def multiData(self, index: QModelIndex | QPersistentModelIndex, roles: RoleRequests) -> None:
        source = self.sourceModel()
        if source is None or not index.isValid():
            for item in role_items(roles):
                item.clearData()
            return
        source.multiData(self.mapToSource(index), roles)
