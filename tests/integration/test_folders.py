"""Folders through the service API, on a real store in a temp dir."""
import pytest

from pysync_web.config import Settings
from pysync_web.errors import PySyncError, UnknownFolderError
from pysync_web.services.app_services import AppServices


@pytest.fixture
def services(tmp_path):
    opened = AppServices.open(Settings(data_dir=tmp_path))
    yield opened
    opened.close()


def test_nested_folders_keep_parent_and_order(services):
    gigs = services.folders.create("Gigs")
    clubs = services.folders.create("Clubs", parent_id=gigs.id)
    bars = services.folders.create("Bars", parent_id=gigs.id)
    assert (clubs.parent_id, clubs.position, bars.position) == (gigs.id, 0, 1)
    assert {f.name for f in services.folders.list()} == {"Gigs", "Clubs", "Bars"}


def test_rename_and_enable_persist_across_reopen(services, tmp_path):
    folder = services.folders.create("Old")
    services.folders.rename(folder.id, "  New  ")
    services.folders.set_enabled(folder.id, False)
    services.close()
    reopened = AppServices.open(Settings(data_dir=tmp_path))
    try:
        stored = reopened.folders.get(folder.id)
        assert (stored.name, stored.enabled) == ("New", False)
    finally:
        reopened.close()


def test_a_folder_cannot_move_into_its_own_subtree(services):
    top = services.folders.create("Top")
    child = services.folders.create("Child", parent_id=top.id)
    with pytest.raises(PySyncError, match="into itself"):
        services.folders.move(top.id, child.id)
    with pytest.raises(PySyncError, match="into itself"):
        services.folders.move(top.id, top.id)
    other = services.folders.create("Other")
    assert services.folders.move(child.id, other.id).parent_id == other.id


def test_delete_moves_contents_up(services):
    top = services.folders.create("Top")
    middle = services.folders.create("Middle", parent_id=top.id)
    bottom = services.folders.create("Bottom", parent_id=middle.id)
    services.folders.delete(middle.id)
    assert services.folders.get(bottom.id).parent_id == top.id
    with pytest.raises(UnknownFolderError):
        services.folders.get(middle.id)


def test_names_are_required_and_unknown_ids_refused(services):
    with pytest.raises(PySyncError, match="needs a name"):
        services.folders.create("   ")
    with pytest.raises(UnknownFolderError):
        services.folders.create("Orphan", parent_id=99)
    with pytest.raises(PySyncError):
        services.folders.move_playlist(42, None)
