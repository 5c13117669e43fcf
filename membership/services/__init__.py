"""Every change to the register goes through these services (views, commands, admin actions and tests alike)."""

from membership.exceptions import MembershipError
from membership.services.cooperations import (
    cooperation_agreement_create,
    cooperation_agreement_update,
    cooperation_create,
    cooperation_staff_set,
    cooperation_update,
)
from membership.services.memberships import (
    member_contact_update,
    membership_create,
    membership_end,
    membership_invitation_answer,
    membership_invitation_create,
    membership_update,
)
from membership.services.municipalities import municipality_create, municipality_merge, municipality_update
from membership.services.people import office_begin, office_end, office_update, person_create, person_update
from membership.services.population import (
    PopulationImportResult,
    population_import,
    population_import_file,
    population_import_preview,
)

__all__ = [
    "MembershipError",
    "PopulationImportResult",
    "cooperation_agreement_create",
    "cooperation_agreement_update",
    "cooperation_create",
    "cooperation_staff_set",
    "cooperation_update",
    "member_contact_update",
    "membership_create",
    "membership_end",
    "membership_invitation_answer",
    "membership_invitation_create",
    "membership_update",
    "municipality_create",
    "municipality_merge",
    "municipality_update",
    "office_begin",
    "office_end",
    "office_update",
    "person_create",
    "person_update",
    "population_import",
    "population_import_file",
    "population_import_preview",
]
