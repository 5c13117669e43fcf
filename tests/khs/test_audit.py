import pytest

from khs.lib.audit import audit_log, diff
from khs.models import AppendOnlyError, AuditEntry


def test_audit_entries_cannot_be_changed_or_deleted(coop, clerk):
    entry = audit_log(actor=clerk, action="update", verb="test_change", obj=coop, changes={"name": ["A", "B"]})
    entry.message = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(message="x")
    assert AuditEntry.objects.get().changes == {"name": ["A", "B"]}
    assert AuditEntry.objects.get().actor_label == "Kari Sekretær"


def test_diff_lists_only_changed_fields():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}


def test_admin_changes_are_audited(client, administrator, mayor):
    client.force_login(administrator)
    url = f"/admin/membership/person/{mayor.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"name": "Ordfører i Lier kommune", "email": mayor.email, "phone": "", "language": "nb", "user": ""}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(verb="admin_save")
    assert entry.actor == administrator
    assert entry.changes["name"] == ["Ordfører i Lier", "Ordfører i Lier kommune"]
